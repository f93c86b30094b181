//go:build torch

package torch

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/atomicfile"
	"github.com/inferbench/inferbench/internal/cachefile"
	"github.com/inferbench/inferbench/internal/filehash"
	"github.com/inferbench/inferbench/internal/lm/gpt2"
)

// Built reports whether the package was built with -tags torch.
const Built = true

//go:embed worker.py
var workerScript []byte

// Python returns the interpreter the worker runs under: $INFERBENCH_PYTHON,
// else python3.
func Python() string {
	if p := os.Getenv("INFERBENCH_PYTHON"); p != "" {
		return p
	}
	return "python3"
}

// Open implements backends.Backend. It writes the model as a Hugging Face
// directory into the model's cache (once per weights), starts the worker
// and waits for it to load the model. No Go weights, no Python, or no
// torch make the backend unavailable.
func (b Backend) Open(m *model.Model, opts backends.Options) (backends.Session, error) {
	name := b.Name()
	if err := opts.Check(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	src, ok := gpt2.Of(m)
	if !ok {
		return nil, backends.Unavailable(name, "model %s has no Go weights (foreign ONNX file)", m.Identity.Name)
	}
	py, err := exec.LookPath(Python())
	if err != nil {
		return nil, backends.Unavailable(name, "%s -c 'import torch' failed: %v", Python(), err)
	}
	cache, err := cacheDir(m)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	dir, err := writeModelDir(cache, m, src)
	if err != nil {
		return nil, fmt.Errorf("%s: model %s: %w", name, m.Identity.Name, err)
	}
	script, err := writeScript(cache)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	// 0 threads means all cores, resolved where every backend resolves it
	// (backends.Options.EffectiveThreads), not by torch's own default.
	attn, err := Attention()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	args := []string{script, "--model", dir, "--mode", b.Mode, "--device", "auto",
		"--threads", strconv.Itoa(opts.EffectiveThreads()), "--attn", attn}
	w, r, err := startWorker(name, exec.Command(py, args...), startTimeout, callTimeout)
	var ie *importError
	if errors.As(err, &ie) {
		return nil, backends.Unavailable(name, "%s -c 'import %s' failed: %s", Python(), ie.module, ie.msg)
	}
	if err != nil {
		return nil, err
	}
	s := &session{name: name, m: m, w: w, ready: r, python: py, dir: dir,
		layers: src.Config.NLayer, width: src.Config.NEmbd}
	// Map a first segment now, so the configuration says which transport
	// the logits take before anything is timed.
	if err := w.ensure(1 << 18); err != nil {
		w.close(closeGrace)
		return nil, err
	}
	return s, nil
}

// AttnEnv selects the worker's attention implementation: sdpa (the
// default, what transformers users get) or eager.
const AttnEnv = "INFERBENCH_TORCH_ATTN"

// Attention is the attention implementation the worker is asked for.
func Attention() (string, error) {
	switch v := os.Getenv(AttnEnv); v {
	case "":
		return "sdpa", nil
	case "sdpa", "eager":
		return v, nil
	default:
		return "", fmt.Errorf("%s=%q: want sdpa or eager", AttnEnv, v)
	}
}

// cacheDir is where the model directories and the worker script go.
func cacheDir(m *model.Model) (string, error) {
	if m.CacheDir != "" {
		return filepath.Join(m.CacheDir, "torch"), nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "inferbench", "torch"), nil
}

// hfConfig is the config.json transformers needs for GPT2LMHeadModel.
func hfConfig(c gpt2.Config) ([]byte, error) {
	return json.MarshalIndent(map[string]any{
		"model_type":          "gpt2",
		"architectures":       []string{"GPT2LMHeadModel"},
		"n_layer":             c.NLayer,
		"n_head":              c.NHead,
		"n_embd":              c.NEmbd,
		"n_positions":         c.NPositions,
		"n_ctx":               c.NPositions,
		"vocab_size":          c.VocabSize,
		"layer_norm_epsilon":  c.Eps(),
		"activation_function": "gelu_new",
		"tie_word_embeddings": true,
	}, "", "  ")
}

// writeModelDir writes m as config.json + model.safetensors under a
// directory named by the weights' sha256, unless it is already there.
func writeModelDir(cache string, m *model.Model, src *gpt2.Source) (string, error) {
	cfg, err := hfConfig(src.Config)
	if err != nil {
		return "", err
	}
	key := m.Identity.WeightsSHA256
	if key == "" {
		return "", fmt.Errorf("identity has no weights sha256 to key the cache by")
	}
	dir := filepath.Join(cache, "hf-"+key)
	files := []string{gpt2.ConfigFile, gpt2.WeightsFile}
	if verifiedDir(dir, files) {
		return dir, nil
	}
	// Missing, corrupt (reported by cachefile) or from before the cache
	// recorded sha256s: rebuilt whole.
	if err := os.RemoveAll(dir); err != nil {
		return "", err
	}
	if err := os.MkdirAll(cache, 0o755); err != nil {
		return "", err
	}
	atomicfile.CleanStale(cache, tmpPrefix, atomicfile.StaleAge)
	tmp, err := os.MkdirTemp(cache, atomicfile.TempPattern(tmpPrefix))
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	if err := os.WriteFile(filepath.Join(tmp, gpt2.ConfigFile), cfg, 0o644); err != nil {
		return "", err
	}
	md := map[string]string{"inferbench-model": m.Identity.Name, "inferbench-weights-sha256": key}
	if err := gpt2.WriteSafetensors(filepath.Join(tmp, gpt2.WeightsFile), src.Weights, false, md); err != nil {
		return "", err
	}
	for _, f := range files {
		if _, err := cachefile.Record(filepath.Join(tmp, f)); err != nil {
			return "", err
		}
	}
	if err := os.Rename(tmp, dir); err != nil {
		if verifiedDir(dir, files) {
			return dir, nil // another process won the race
		}
		return "", err
	}
	return dir, nil
}

// tmpPrefix starts the names of model directories being written.
const tmpPrefix = "tmp-hf-"

// verifiedDir reports whether every file of a cached model directory has
// the sha256 recorded when it was written (see package cachefile).
func verifiedDir(dir string, files []string) bool {
	for _, f := range files {
		if _, err := cachefile.Check(filepath.Join(dir, f)); err != nil {
			return false
		}
	}
	return true
}

// writeScript writes the embedded worker under its content hash.
func writeScript(cache string) (string, error) {
	path := filepath.Join(cache, "worker-"+filehash.Bytes(workerScript)[:12]+".py")
	if b, err := os.ReadFile(path); err == nil && string(b) == string(workerScript) {
		return path, nil
	}
	if err := os.MkdirAll(cache, 0o755); err != nil {
		return "", err
	}
	return path, atomicfile.WriteBytes(path, workerScript)
}
