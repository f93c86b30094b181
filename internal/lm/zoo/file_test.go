package zoo

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/lm/gpt2"
	"github.com/inferbench/inferbench/internal/lm/gpt2/graph"
	"github.com/inferbench/inferbench/internal/lm/onnx"
)

// dynamoLike writes a GPT-2 ONNX as current PyTorch exports one: the graph
// in dir/model.onnx, the weights in dir/model.onnx.data, the tied output
// head stored again (transposed, as MatMul's right operand), and shape and
// scalar constants as initializers.
func dynamoLike(t *testing.T, dir string, c gpt2.Config, w *gpt2.Weights) string {
	t.Helper()
	m, err := graph.Build(c, w, graph.Options{})
	if err != nil {
		t.Fatal(err)
	}
	head := make([]float32, len(w.WTE.Data))
	for v := range c.VocabSize {
		for d := range c.NEmbd {
			head[d*c.VocabSize+v] = w.WTE.Data[v*c.NEmbd+d]
		}
	}
	m.Graph.Initializers = append(m.Graph.Initializers,
		onnx.FloatTensor("lm_head.weight", []int64{int64(c.NEmbd), int64(c.VocabSize)}, head),
		onnx.Int64Tensor("val_shape", []int64{3}, []int64{0, -1, int64(c.NEmbd)}),
		onnx.FloatTensor("scalar_tensor_default", nil, []float32{0.125}),
	)
	path := filepath.Join(dir, "model.onnx")
	if err := m.WriteFileExternal(path, "model.onnx.data", 64); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestFileONNXIdentity: a dynamo-style export with external data and a
// stored tied head has the checkpoint's parameter count (so a declared
// architecture accepts it), says what was tied, and its identity changes
// when one byte of the external weights changes.
func TestFileONNXIdentity(t *testing.T) {
	declared["test-arch"] = small.ParamCount()
	defer delete(declared, "test-arch")
	dir := t.TempDir()
	path := dynamoLike(t, dir, small, gpt2.Seeded(small, 3))
	m, err := Resolve(FilePrefix+path, Options{CacheDir: t.TempDir(), Architecture: "test-arch"})
	if err != nil {
		t.Fatal(err)
	}
	id := m.Identity
	if id.Params != small.ParamCount() {
		t.Errorf("params %d, want the checkpoint's %d", id.Params, small.ParamCount())
	}
	if id.Extra["tied"] != "lm_head.weight=wte.weightᵀ" {
		t.Errorf("tied = %q, want lm_head.weight=wte.weightᵀ", id.Extra["tied"])
	}
	plain, err := graph.Build(small, gpt2.Seeded(small, 3), graph.Options{})
	if err != nil {
		t.Fatal(err)
	}
	info, err := plain.Summary()
	if err != nil {
		t.Fatal(err)
	}
	// The builder's own constants plus the shape (3) and scalar (1) added.
	wantConst := strconv.FormatInt(info.NonWeights+info.ConstantParams+4, 10)
	if id.Extra["onnx-external-data"] != "model.onnx.data" || id.Extra["onnx-non-weight-elements"] != wantConst {
		t.Errorf("extra %v; want external data model.onnx.data and %s non-weight elements", id.Extra, wantConst)
	}
	if len(id.WeightsSHA256) != 64 {
		t.Fatalf("weights sha256 %q", id.WeightsSHA256)
	}

	data := filepath.Join(dir, "model.onnx.data")
	b, err := os.ReadFile(data)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 0x40
	if err := os.WriteFile(data, b, 0o644); err != nil {
		t.Fatal(err)
	}
	m2, err := Resolve(FilePrefix+path, Options{CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if m2.Identity.WeightsSHA256 == id.WeightsSHA256 {
		t.Error("a changed weight byte in model.onnx.data left model-weights-sha256 unchanged")
	}
	if m2.Identity.ONNXSHA256 != id.ONNXSHA256 {
		t.Error("the graph file's hash changed though only the data file did")
	}
}

// TestFileONNXDeclaredMismatchStillRefused: counting only weights does not
// loosen the declared-architecture check.
func TestFileONNXDeclaredMismatchStillRefused(t *testing.T) {
	declared["test-arch"] = small.ParamCount() + 1
	defer delete(declared, "test-arch")
	path := dynamoLike(t, t.TempDir(), small, gpt2.Seeded(small, 3))
	_, err := Resolve(FilePrefix+path, Options{CacheDir: t.TempDir(), Architecture: "test-arch"})
	if !errors.Is(err, model.ErrIdentityMismatch) {
		t.Errorf("error %v, want %v", err, model.ErrIdentityMismatch)
	}
}

// TestRealExportsMatchDeclared: the exports PyTorch's two exporters made of
// an untrained GPT-2 (internal/lm/onnx/testdata/exports) are accepted as the
// architecture transformers counts them as, and their identity lists what
// the count is made of.
func TestRealExportsMatchDeclared(t *testing.T) {
	dir := filepath.Join("..", "onnx", "testdata", "exports")
	raw, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var man struct {
		Params int64 `json:"params"`
	}
	if err := json.Unmarshal(raw, &man); err != nil {
		t.Fatal(err)
	}
	declared["test-export"] = man.Params
	defer delete(declared, "test-export")
	for _, tt := range []struct{ file, listed string }{
		{"gpt2-legacy-opset17.onnx", "onnx-shared-weights"},
		{"gpt2-dynamo/model.onnx", "onnx-folded-zero-biases"},
	} {
		m, err := Resolve(FilePrefix+filepath.Join(dir, tt.file), Options{CacheDir: t.TempDir(), Architecture: "test-export"})
		if err != nil {
			t.Errorf("%s: %v", tt.file, err)
			continue
		}
		if m.Identity.Params != man.Params || m.Identity.Extra[tt.listed] == "" {
			t.Errorf("%s: params %d (want %d), extra %v (want %s listed)", tt.file, m.Identity.Params, man.Params, m.Identity.Extra, tt.listed)
		}
	}
	declared["test-export"] = man.Params + 1
	_, err = Resolve(FilePrefix+filepath.Join(dir, "gpt2-dynamo/model.onnx"), Options{CacheDir: t.TempDir(), Architecture: "test-export"})
	if !errors.Is(err, model.ErrIdentityMismatch) || !strings.Contains(err.Error(), "Gemm nodes have no bias") {
		t.Errorf("declared count off by one: %v, want a mismatch saying what was counted", err)
	}
}
