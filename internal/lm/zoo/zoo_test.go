package zoo

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/fixtures/gpt2tiny"
	"github.com/inferbench/inferbench/internal/filehash"
	"github.com/inferbench/inferbench/internal/lm/gpt2"
)

// small is a GPT-2 small enough to build in milliseconds.
var small = gpt2.Config{NLayer: 1, NHead: 2, NEmbd: 8, NPositions: 16, VocabSize: 50, LayerNormEpsilon: 1e-5}

func opts(t *testing.T) Options { return Options{CacheDir: t.TempDir()} }

func TestResolveTiny(t *testing.T) {
	m, err := Resolve(Default, opts(t))
	if err != nil {
		t.Fatal(err)
	}
	id := m.Identity
	if id.Params != TinyConfig.ParamCount() || id.Params != mustSource(t, m).Weights.Params() {
		t.Errorf("params = %d, config implies %d", id.Params, TinyConfig.ParamCount())
	}
	if len(id.WeightsSHA256) != 64 || len(id.ONNXSHA256) != 64 {
		t.Errorf("identity lacks hashes: %+v", id)
	}
	if _, err := os.Stat(m.ONNXPath); err != nil {
		t.Errorf("ONNX file not built: %v", err)
	}
	if m.Vocab != gpt2.VocabGPT2 || m.Positions != 512 {
		t.Errorf("vocab %d positions %d", m.Vocab, m.Positions)
	}
	if id.Weights != model.Trained || id.WeightsSHA256 != filehash.Bytes(gpt2tiny.Safetensors) {
		t.Errorf("default model is %s with weights sha256 %s, want the embedded trained fixture", id.Weights, id.WeightsSHA256)
	}
	s, err := Resolve("gpt2-tiny-seeded", opts(t))
	if err != nil {
		t.Fatal(err)
	}
	if s.Identity.Weights != model.Seeded || s.Identity.Params != id.Params || s.Identity.WeightsSHA256 == id.WeightsSHA256 {
		t.Errorf("gpt2-tiny-seeded identity %v", s.Identity)
	}
}

func TestSeededArchitecturesAreLabelledSeeded(t *testing.T) {
	for _, name := range []string{"gpt2-124m-arch", "gpt2-355m-arch"} {
		e := entries[name]
		cfg, w, src, err := e.load("")
		if err != nil {
			t.Fatal(err)
		}
		if src.kind != model.Seeded {
			t.Errorf("%s: weights kind %s, want seeded", name, src.kind)
		}
		if got, want := w.Params(), declared[e.arch]; got != want {
			t.Errorf("%s: %d parameters, declared %s has %d", name, got, e.arch, want)
		}
		_ = cfg
	}
}

// The report this project replaces called a tiny fixture "GPT-2 124M".
// Declaring an architecture the weights do not have must fail.
func TestDeclaredArchitectureMismatch(t *testing.T) {
	dir := writeDir(t, small)
	o := opts(t)
	o.Architecture = "gpt2-124m"
	_, err := Resolve(FilePrefix+dir, o)
	if !errors.Is(err, model.ErrIdentityMismatch) {
		t.Fatalf("Resolve with a false architecture = %v, want ErrIdentityMismatch", err)
	}
	if !strings.Contains(err.Error(), "124439808") {
		t.Errorf("error %q does not say what was declared", err)
	}
}

func TestResolveFileDirAndONNX(t *testing.T) {
	dir := writeDir(t, small)
	o := opts(t)
	m, err := Resolve(FilePrefix+dir, o)
	if err != nil {
		t.Fatal(err)
	}
	if m.Identity.Weights != model.Unknown || m.Identity.Params != small.ParamCount() {
		t.Errorf("dir identity = %+v", m.Identity)
	}
	f, err := Resolve(FilePrefix+m.ONNXPath, o)
	if err != nil {
		t.Fatal(err)
	}
	if f.Identity.ONNXSHA256 != m.Identity.ONNXSHA256 || f.Identity.Params != m.Identity.Params || f.Vocab != small.VocabSize {
		t.Errorf("onnx file identity %+v differs from the model it was built from %+v", f.Identity, m.Identity)
	}
	if _, ok := gpt2.Of(f); ok || f.Source != nil {
		t.Errorf("a foreign ONNX file got Go weights")
	}
}

// mustSource returns m's GPT-2 source, failing t when it has none.
func mustSource(t *testing.T, m *model.Model) *gpt2.Source {
	t.Helper()
	src, ok := gpt2.Of(m)
	if !ok {
		t.Fatalf("model %s has no GPT-2 source", m.Identity.Name)
	}
	return src
}

func TestSameWeightsSameBytes(t *testing.T) {
	w := gpt2.Seeded(small, 7)
	a, err := FromWeights("a", "", small, w, model.Seeded, opts(t))
	if err != nil {
		t.Fatal(err)
	}
	b, err := FromWeights("b", "", small, w, model.Seeded, opts(t))
	if err != nil {
		t.Fatal(err)
	}
	if a.Identity.ONNXSHA256 != b.Identity.ONNXSHA256 {
		t.Fatalf("same weights built to different files: %s vs %s", a.Identity.ONNXSHA256, b.Identity.ONNXSHA256)
	}
	w2 := gpt2.Seeded(small, 8)
	c, err := FromWeights("c", "", small, w2, model.Seeded, opts(t))
	if err != nil {
		t.Fatal(err)
	}
	if c.Identity.WeightsSHA256 == a.Identity.WeightsSHA256 || c.Identity.ONNXSHA256 == a.Identity.ONNXSHA256 {
		t.Fatal("different weights share an identity")
	}
}

func TestCacheHitAndStaleEntry(t *testing.T) {
	o := opts(t)
	w := gpt2.Seeded(small, 7)
	a, err := FromWeights("a", "", small, w, model.Seeded, o)
	if err != nil {
		t.Fatal(err)
	}
	// Truncate the cached file: the sidecar's size no longer matches, so
	// the entry is rebuilt rather than trusted.
	if err := os.Truncate(a.ONNXPath, 10); err != nil {
		t.Fatal(err)
	}
	b, err := FromWeights("a", "", small, w, model.Seeded, o)
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(b.ONNXPath); st.Size() <= 10 || b.Identity.ONNXSHA256 != a.Identity.ONNXSHA256 {
		t.Fatalf("stale cache entry was trusted")
	}
}

func TestResolveErrors(t *testing.T) {
	dir := t.TempDir()
	corrupt := filepath.Join(dir, "corrupt.onnx")
	if err := os.WriteFile(corrupt, []byte("\x0a\xff\xff\xff"), 0o644); err != nil {
		t.Fatal(err)
	}
	trunc := writeDir(t, small)
	st, _ := os.Stat(filepath.Join(trunc, gpt2.WeightsFile))
	if err := os.Truncate(filepath.Join(trunc, gpt2.WeightsFile), st.Size()-3); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, mention string
	}{
		{"gpt2-1t", "gpt2-1t"},
		{FilePrefix + filepath.Join(dir, "missing.onnx"), "missing.onnx"},
		{FilePrefix + corrupt, "corrupt.onnx"},
		{FilePrefix + trunc, gpt2.WeightsFile},
	}
	for _, tt := range tests {
		_, err := Resolve(tt.name, opts(t))
		if err == nil {
			t.Errorf("Resolve(%s) succeeded", tt.name)
			continue
		}
		if !strings.Contains(err.Error(), tt.mention) {
			t.Errorf("Resolve(%s) error %q does not name %q", tt.name, err, tt.mention)
		}
	}
}

func writeDir(t *testing.T, c gpt2.Config) string {
	t.Helper()
	dir := t.TempDir()
	if err := gpt2.WriteSafetensors(filepath.Join(dir, gpt2.WeightsFile), gpt2.Seeded(c, 1), false, nil); err != nil {
		t.Fatal(err)
	}
	cfg := `{"n_layer":1,"n_head":2,"n_embd":8,"n_positions":16,"vocab_size":50,"layer_norm_epsilon":1e-5}`
	if err := os.WriteFile(filepath.Join(dir, gpt2.ConfigFile), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}
