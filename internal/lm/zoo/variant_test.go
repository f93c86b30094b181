package zoo_test

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/lm/corpus"
	"github.com/inferbench/inferbench/internal/lm/gpt2"
	"github.com/inferbench/inferbench/internal/lm/gpt2/calib"
	"github.com/inferbench/inferbench/internal/lm/gpt2/graph"
	"github.com/inferbench/inferbench/internal/lm/onnx"
	"github.com/inferbench/inferbench/internal/lm/zoo"
)

// vocabConfig has GPT-2's vocabulary, so calibration text tokenizes into it.
var vocabConfig = gpt2.Config{NLayer: 2, NHead: 2, NEmbd: 16, NPositions: 64, VocabSize: gpt2.VocabGPT2, LayerNormEpsilon: 1e-5}

func seededModel(t *testing.T) *model.Model {
	t.Helper()
	m, err := zoo.FromWeights("variant-test", "", vocabConfig, gpt2.Seeded(vocabConfig, 9), model.Seeded, zoo.Options{CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func calibText(t *testing.T) *corpus.Corpus {
	t.Helper()
	c, err := corpus.New("calib", "calib.txt", strings.Repeat("The rays of light are refracted unequally by the prism. ", 30))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func fileSHA(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}

// unitRun is a calibration runner that reports every quantization point as
// having seen −1 and 1 in each batch: these tests need a calibration, not a
// realistic one (ort.Calibrator's is tested in internal/backends/ort, the int8
// variant's accuracy in internal/backends/ort/cpu and accuracy).
func unitRun(_ []byte, outputs []string, batches [][][]int64, observe func(int, []float32) error) error {
	for range batches {
		for i := range outputs {
			if err := observe(i, []float32{-1, 1}); err != nil {
				return err
			}
		}
	}
	return nil
}

// TestVariantInt8 checks the int8 variant's identity and its cache: a
// second call returns the same file without rebuilding it, other
// calibration options another file.
func TestVariantInt8(t *testing.T) {
	m := seededModel(t)
	c := calibText(t)
	opt := zoo.VariantOptions{Calibration: calib.Options{Windows: 4, Length: 16, Corpus: c, Run: unitRun}}
	v, err := zoo.Variant(m, model.INT8, opt)
	if err != nil {
		t.Fatal(err)
	}
	id := v.Identity
	want := map[string]string{
		"calibration-method":        "minmax",
		"calibration-samples":       "4x16",
		"calibration-tokens":        "64",
		"calibration-corpus-sha256": c.SHA256,
		"quant-weights":             "int8-symmetric-per-channel-7bit",
		"quant-activations":         "uint8-asymmetric-per-tensor",
		"quant-matmuls":             "8",
		"base-onnx-sha256":          m.Identity.ONNXSHA256,
		"weights-source":            m.Identity.Extra["weights-source"],
	}
	for k, val := range want {
		if id.Extra[k] != val {
			t.Errorf("Extra[%s] = %q, want %q", k, id.Extra[k], val)
		}
	}
	if id.Precision != model.INT8 || id.Params != m.Identity.Params || id.WeightsSHA256 != m.Identity.WeightsSHA256 {
		t.Errorf("identity %v, base %v", id, m.Identity)
	}
	if m.Identity.Precision != model.FP32 || m.Identity.Extra["calibration-method"] != "" {
		t.Errorf("Variant changed its argument's identity: %v", m.Identity)
	}
	if v.ONNXPath == m.ONNXPath || id.ONNXSHA256 != fileSHA(t, v.ONNXPath) {
		t.Errorf("variant file %s sha256 %s, recorded %s", v.ONNXPath, fileSHA(t, v.ONNXPath), id.ONNXSHA256)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(v.ONNXPath), "calibration.json")); err != nil {
		t.Errorf("no calibration record: %v", err)
	}
	g, err := onnx.ReadFile(v.ONNXPath)
	if err != nil {
		t.Fatal(err)
	}
	var dq int
	for _, n := range g.Graph.Nodes {
		if n.OpType == "DequantizeLinear" {
			dq++
		}
	}
	if dq != 2*8 {
		t.Errorf("%d DequantizeLinear nodes, want 16 (weight and activation of 8 MatMuls)", dq)
	}

	st, err := os.Stat(v.ONNXPath)
	if err != nil {
		t.Fatal(err)
	}
	again, err := zoo.Variant(m, model.INT8, opt)
	if err != nil {
		t.Fatal(err)
	}
	st2, err := os.Stat(again.ONNXPath)
	if err != nil {
		t.Fatal(err)
	}
	if again.ONNXPath != v.ONNXPath || again.Identity.ONNXSHA256 != id.ONNXSHA256 || !st2.ModTime().Equal(st.ModTime()) {
		t.Errorf("cache hit gave %s (%s), first call %s (%s); rewritten: %v",
			again.ONNXPath, again.Identity.ONNXSHA256, v.ONNXPath, id.ONNXSHA256, !st2.ModTime().Equal(st.ModTime()))
	}

	others := []zoo.VariantOptions{
		{Calibration: calib.Options{Method: calib.Percentile, Windows: 4, Length: 16, Corpus: c, Run: unitRun}},
		{Calibration: calib.Options{Windows: 3, Length: 16, Corpus: c, Run: unitRun}},
		{Calibration: calib.Options{Windows: 4, Length: 16, Corpus: c, Run: unitRun}, WeightBits: 8},
	}
	for _, o := range others {
		w, err := zoo.Variant(m, model.INT8, o)
		if err != nil {
			t.Fatal(err)
		}
		if w.ONNXPath == v.ONNXPath {
			t.Errorf("options %+v share the default variant's file", o)
		}
	}
}

func TestVariantFP16(t *testing.T) {
	m := seededModel(t)
	v, err := zoo.Variant(m, model.FP16, zoo.VariantOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if v.Identity.Precision != model.FP16 || v.Identity.ONNXSHA256 != fileSHA(t, v.ONNXPath) || v.ONNXPath == m.ONNXPath {
		t.Errorf("fp16 variant %v at %s", v.Identity, v.ONNXPath)
	}
	g, err := onnx.ReadFile(v.ONNXPath)
	if err != nil {
		t.Fatal(err)
	}
	if g.Graph.Initializers[0].DataType != onnx.Float16 {
		t.Errorf("first initializer %s is %v", g.Graph.Initializers[0].Name, g.Graph.Initializers[0].DataType)
	}
	again, err := zoo.Variant(m, model.FP16, zoo.VariantOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if again.ONNXPath != v.ONNXPath {
		t.Errorf("second call %s, first %s", again.ONNXPath, v.ONNXPath)
	}
	same, err := zoo.Variant(m, model.FP32, zoo.VariantOptions{})
	if err != nil || same != m {
		t.Errorf("fp32 variant of an fp32 model: %v, %v; want the model itself", same, err)
	}
}

func TestVariantErrors(t *testing.T) {
	m := seededModel(t)
	foreign := &model.Model{Identity: model.Identity{Name: "file:x.onnx", Params: 1, Precision: model.FP32}, ONNXPath: m.ONNXPath}
	fp16 := *m
	fp16.Identity.Precision = model.FP16
	tests := []struct {
		name string
		m    *model.Model
		p    model.Precision
		opt  zoo.VariantOptions
		want error
	}{
		{"foreign int8", foreign, model.INT8, zoo.VariantOptions{}, zoo.ErrNoWeights},
		{"foreign fp16", foreign, model.FP16, zoo.VariantOptions{}, zoo.ErrNoWeights},
		{"from fp16", &fp16, model.INT8, zoo.VariantOptions{}, graph.ErrPrecision},
		{"bf16", m, "bf16", zoo.VariantOptions{}, graph.ErrPrecision},
		{"4-bit", m, model.INT8, zoo.VariantOptions{WeightBits: 4}, graph.ErrPrecision},
		{"calibration", m, model.INT8, zoo.VariantOptions{Calibration: calib.Options{Method: "entropy"}}, calib.ErrOptions},
		{"no runner", m, model.INT8, zoo.VariantOptions{Calibration: calib.Options{Windows: 2, Length: 8, Corpus: calibText(t)}}, calib.ErrNoRunner},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := zoo.Variant(tt.m, tt.p, tt.opt); !errors.Is(err, tt.want) {
				t.Errorf("Variant = %v, want %v", err, tt.want)
			}
		})
	}
}
