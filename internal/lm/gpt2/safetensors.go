package gpt2

import (
	"fmt"
	"math"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/inferbench/inferbench/internal/dims"
	"github.com/inferbench/inferbench/internal/lm/safetensors"
)

// Names of the files of a Hugging Face model directory.
const (
	ConfigFile  = "config.json"
	WeightsFile = "model.safetensors"
)

// prefix is the module path GPT2LMHeadModel puts before GPT2Model's tensors.
const prefix = "transformer."

// lmHead is the tied output projection, saved by some exporters.
const lmHead = "lm_head.weight"

// buffers are attention buffers older Hugging Face versions saved: the
// causal mask and its fill value, not parameters.
var buffers = regexp.MustCompile(`^h\.[0-9]+\.attn\.(bias|masked_bias)$`)

// ReadSafetensors reads GPT-2 weights in the Hugging Face layout from a
// .safetensors file, converting F32, F16 or BF16 to float32. Names may carry
// the "transformer." prefix; the attention buffers attn.bias and
// attn.masked_bias are ignored; lm_head.weight is accepted only when it
// equals wte (tied). Every tensor c implies must be present with its
// shape, and no other tensor may be: errors wrap ErrWeights (or the
// safetensors package's errors) and name the file and the tensor.
func ReadSafetensors(path string, c Config) (*Weights, error) {
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("gpt2: %s: %w", path, err)
	}
	f, err := safetensors.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("gpt2: %w", err)
	}
	bad := func(format string, args ...any) error {
		return fmt.Errorf("gpt2: %s: %s: %w", path, fmt.Sprintf(format, args...), ErrWeights)
	}

	byName := make(map[string]string, len(f.Tensors)) // canonical → stored name
	var head string
	for _, name := range f.Names() {
		canon := strings.TrimPrefix(name, prefix)
		switch {
		case buffers.MatchString(canon):
			continue
		case canon == lmHead:
			head = name
			continue
		}
		if prev, dup := byName[canon]; dup {
			return nil, bad("tensors %q and %q are both %s", prev, name, canon)
		}
		byName[canon] = name
	}

	if err := fits(f, byName, c); err != nil {
		return nil, bad("%v", err)
	}
	w := &Weights{Blocks: make([]Block, c.NLayer)}
	dst := w.Tensors()
	for i, s := range specs(c) {
		name, ok := byName[s.name]
		if !ok {
			return nil, bad("missing tensor %s (shape %v)", s.name, s.shape)
		}
		delete(byName, s.name)
		t, err := readTensor(f, name, s.shape, bad)
		if err != nil {
			return nil, err
		}
		*dst[i].T = t
	}
	if len(byName) > 0 {
		extra := make([]string, 0, len(byName))
		for _, name := range byName {
			extra = append(extra, name)
		}
		slices.Sort(extra)
		return nil, bad("unexpected tensors %s", strings.Join(extra, ", "))
	}
	if head != "" {
		t, err := readTensor(f, head, w.WTE.Shape, bad)
		if err != nil {
			return nil, err
		}
		if !slices.Equal(t.Data, w.WTE.Data) {
			return nil, bad("tensor %s differs from wte.weight: untied output projections are not GPT-2", head)
		}
	}
	return w, nil
}

// fits checks the configuration against the tensors the file actually holds
// (byName, buffers and the tied head left out) before anything sized by
// the configuration is allocated: a config.json claiming 10⁷ layers next
// to a 4-layer file fails here, naming both counts, instead of allocating
// gigabytes. Smaller differences (a missing or extra tensor, a wrong
// shape) are left to the per-tensor checks, which name the tensor.
func fits(f *safetensors.File, byName map[string]string, c Config) error {
	wantTensors := int64(tensorsPerBlock)*int64(c.NLayer) + 4
	if wantTensors <= int64(len(byName))+tensorsPerBlock {
		return nil
	}
	var elems int64
	for _, name := range byName {
		t, _ := f.Lookup(name)
		if n, err := dims.Count(t.Shape); err == nil && n <= math.MaxInt64-elems {
			elems += n
		}
	}
	return fmt.Errorf("holds %d GPT-2 tensors with %d elements (%d blocks at most), but the configuration's n_layer %d implies %d tensors (%d parameters with n_embd %d, n_positions %d, vocab_size %d)",
		len(byName), elems, len(byName)/tensorsPerBlock, c.NLayer, wantTensors, c.ParamCount(), c.NEmbd, c.NPositions, c.VocabSize)
}

// readTensor reads the tensor called name, converted to float32, and checks
// its shape.
func readTensor(f *safetensors.File, name string, want []int, bad func(string, ...any) error) (Tensor, error) {
	v, shape, err := f.Float32(name)
	if err != nil {
		return Tensor{}, fmt.Errorf("gpt2: %w", err)
	}
	got := make([]int, len(shape))
	for i, d := range shape {
		got[i] = int(d)
	}
	if !slices.Equal(got, want) {
		return Tensor{}, bad("tensor %s has shape %v, want %v", name, got, want)
	}
	return Tensor{Shape: got, Data: v}, nil
}

// LoadDir reads a Hugging Face GPT-2 directory: config.json and
// model.safetensors.
func LoadDir(dir string) (Config, *Weights, error) {
	c, err := ReadConfig(filepath.Join(dir, ConfigFile))
	if err != nil {
		return Config{}, nil, err
	}
	w, err := ReadSafetensors(filepath.Join(dir, WeightsFile), c)
	if err != nil {
		return Config{}, nil, err
	}
	return c, w, nil
}

// WriteSafetensors writes w to path under Hugging Face names without prefix
// and without lm_head (tied), as F16 when fp16 is set and F32 otherwise.
// The metadata gets "format": "pt" unless it sets a format, since Hugging
// Face's loader insists on one. The output is deterministic.
func WriteSafetensors(path string, w *Weights, fp16 bool, metadata map[string]string) error {
	md := map[string]string{"format": "pt"}
	for k, v := range metadata {
		md[k] = v
	}
	encode := safetensors.Float32Tensor
	if fp16 {
		encode = safetensors.Float16Tensor
	}
	var tensors []safetensors.Tensor
	for _, nt := range w.Tensors() {
		shape := make([]int64, len(nt.T.Shape))
		for i, d := range nt.T.Shape {
			shape[i] = int64(d)
		}
		tensors = append(tensors, encode(nt.Name, shape, nt.T.Data))
	}
	if err := safetensors.WriteFile(path, tensors, md); err != nil {
		return fmt.Errorf("gpt2: %w", err)
	}
	return nil
}
