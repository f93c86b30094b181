package zoo

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/filehash"
	"github.com/inferbench/inferbench/internal/lm/gpt2"
	"github.com/inferbench/inferbench/internal/lm/onnx"
)

// resolveFile handles file:PATH: an .onnx file, or a Hugging Face GPT-2
// directory (config.json + model.safetensors).
func resolveFile(name, path, cacheDir string, opt Options) (*model.Model, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("zoo: %s: %w", name, err)
	}
	if st.IsDir() {
		return resolveDir(name, path, cacheDir, opt)
	}
	return resolveONNX(name, path, cacheDir, opt)
}

func resolveDir(name, dir, cacheDir string, opt Options) (*model.Model, error) {
	cfg, w, err := gpt2.LoadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("zoo: %s: %w", name, err)
	}
	weightsFile := filepath.Join(dir, "model.safetensors")
	sum, err := filehash.File(weightsFile)
	if err != nil {
		return nil, fmt.Errorf("zoo: %s: %w", name, err)
	}
	arch := opt.Architecture
	if arch == "" {
		arch = "gpt2-custom"
	}
	// A user's checkpoint may be trained or not: its kind is unknown until
	// the accuracy package's validity gate measures its perplexity.
	return fromWeights(name, arch, cfg, w, source{kind: model.Unknown, sha256: sum, origin: weightsFile}, cacheDir)
}

func resolveONNX(name, path, cacheDir string, opt Options) (*model.Model, error) {
	info, err := onnx.Inspect(path)
	if err != nil {
		return nil, fmt.Errorf("zoo: %s: %w", name, err)
	}
	sum, err := filehash.File(path)
	if err != nil {
		return nil, fmt.Errorf("zoo: %s: %w", name, err)
	}
	vocab, err := logitsVocab(path, info)
	if err != nil {
		return nil, fmt.Errorf("zoo: %s: %w", name, err)
	}
	arch := opt.Architecture
	if arch == "" {
		arch = "onnx"
	}
	params := info.Params
	extra := onnxExtra(info)
	if want := declared[arch]; want != 0 && params != want && params+info.FoldedBiases == want {
		// A PyTorch export that folded its zero biases away computes the
		// declared architecture with those biases zero: count them.
		params += info.FoldedBiases
		extra["onnx-folded-zero-biases-counted"] = "yes"
	}
	id := model.Identity{
		Name:           name,
		Architecture:   arch,
		DeclaredParams: declared[arch],
		Params:         params,
		WeightsSHA256:  info.WeightsSHA256,
		ONNXSHA256:     sum,
		Weights:        model.Unknown,
		Precision:      model.FP32,
		Extra:          extra,
	}
	if err := id.Validate(); err != nil {
		return nil, fmt.Errorf("zoo: %w (counted: %s)", err, counted(info))
	}
	// The context length: the rows of the learned position embedding, if
	// the graph has one; else unknown (0), and the accuracy window must be
	// given.
	positions := int(info.Positions.Rows)
	if positions > 0 {
		id.Extra["n-positions-from"] = info.Positions.Name
	}
	return &model.Model{Identity: id, ONNXPath: path, Vocab: vocab, Positions: positions, CacheDir: cacheDir}, nil
}

// onnxExtra records what the identity's counts leave out: initializer
// elements that are not weights, tied copies counted once, and the
// external-data files the weights digest covers.
func onnxExtra(info *onnx.Info) map[string]string {
	extra := map[string]string{
		"onnx-producer":            info.Producer,
		"onnx-non-weight-elements": strconv.FormatInt(info.NonWeights+info.ConstantParams, 10),
	}
	if len(info.Tied) > 0 {
		var tied []string
		for _, t := range info.Tied {
			s := t.Name + "=" + t.Of
			if t.Transposed {
				s += "ᵀ"
			}
			tied = append(tied, s)
		}
		extra["tied"] = strings.Join(tied, ",")
	}
	if len(info.Shared) > 0 {
		var shared []string
		for _, s := range info.Shared {
			shared = append(shared, s.Name+"×"+strconv.Itoa(s.Slots))
		}
		extra["onnx-shared-weights"] = strings.Join(shared, ",")
	}
	if info.FoldedBiases > 0 {
		extra["onnx-folded-zero-biases"] = fmt.Sprintf("%d in %d Gemm nodes without a bias", info.FoldedBiases, info.FoldedGemms)
	}
	if len(info.ExternalFiles) > 0 {
		extra["onnx-external-data"] = strings.Join(info.ExternalFiles, ",")
	}
	return extra
}

// counted says what an ONNX file's parameter count is made of, for
// errors.
func counted(info *onnx.Info) string {
	s := fmt.Sprintf("%d elements of %d initializers are weights", info.Params, info.Initializers)
	if len(info.Shared) > 0 {
		s += fmt.Sprintf(", %d of them shared by several parameters and counted for each", len(info.Shared))
	}
	if len(info.Tied) > 0 {
		s += fmt.Sprintf(", %d tied copies counted once", len(info.Tied))
	}
	if info.FoldedBiases > 0 {
		s += fmt.Sprintf("; %d Gemm nodes have no bias (%d elements if the exporter folded zero biases)", info.FoldedGemms, info.FoldedBiases)
	}
	return s + fmt.Sprintf("; %d elements are not weights", info.NonWeights+info.ConstantParams)
}

// logitsVocab reads the static vocabulary size from the logits output.
func logitsVocab(path string, info *onnx.Info) (int, error) {
	for _, o := range info.Outputs {
		if o.Name != model.Logits {
			continue
		}
		if len(o.Dims) != 3 || o.Dims[2].Param != "" || o.Dims[2].Value <= 0 {
			return 0, fmt.Errorf("%s: output %q has dims %v; want [batch, sequence, vocab] with a static vocab", path, model.Logits, o.Dims)
		}
		return int(o.Dims[2].Value), nil
	}
	return 0, fmt.Errorf("%s: no output named %q", path, model.Logits)
}
