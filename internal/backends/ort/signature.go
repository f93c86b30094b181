package ort

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"

	ortgo "github.com/yalue/onnxruntime_go"

	"github.com/inferbench/inferbench/backends/model"
)

var (
	// ErrModelSignature reports an ONNX file whose inputs or outputs are not
	// the causal-LM signature inferbench feeds: int64 input_ids and
	// attention_mask in, float32 logits [batch, seq, vocab] out.
	ErrModelSignature = errors.New("unexpected model signature")
	// ErrModelLoad reports an ONNX file ONNX Runtime cannot load.
	ErrModelLoad = errors.New("cannot load model")
	// ErrClosed reports use of a closed Session.
	ErrClosed = errors.New("session closed")
)

// Input and output names, in the order sessions bind them.
var (
	inputNames  = []string{model.InputIDs, model.AttentionMask}
	outputNames = []string{model.Logits}
)

// CheckSignature loads the model's ONNX file in a temporary session
// (optimisations off, one thread) and checks its inputs and outputs: exactly
// the int64 inputs input_ids and attention_mask, and a float32 output logits
// of rank 3 whose last dimension, when fixed, is m.Vocab. Extra outputs are
// allowed and ignored. A file ORT cannot load gives an error wrapping
// ErrModelLoad; a wrong signature one wrapping ErrModelSignature. Both name
// the file. Init must have succeeded.
//
// Successful checks are remembered for the process by path, size,
// modification time and vocabulary, so reopening a checked file (as session
// creation benchmarks do) does not load it twice.
func CheckSignature(m *model.Model) error {
	if m.ONNXPath == "" {
		return fmt.Errorf("model %s has no ONNX file: %w", m.Identity.Name, ErrModelLoad)
	}
	fi, err := os.Stat(m.ONNXPath)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrModelLoad, err)
	}
	if m.Vocab <= 0 {
		return fmt.Errorf("%w: model %s (%s) has no vocabulary size", ErrModelSignature, m.Identity.Name, m.ONNXPath)
	}
	key := checkKey{path: m.ONNXPath, size: fi.Size(), mtime: fi.ModTime().UnixNano(), vocab: m.Vocab}
	checkedMu.Lock()
	ok := checked[key]
	checkedMu.Unlock()
	if ok {
		return nil
	}
	if err := loadAndCheck(m); err != nil {
		return err
	}
	checkedMu.Lock()
	checked[key] = true
	checkedMu.Unlock()
	return nil
}

type checkKey struct {
	path        string
	size, mtime int64
	vocab       int
}

var (
	checkedMu sync.Mutex
	checked   = map[checkKey]bool{}
)

func loadAndCheck(m *model.Model) error {
	so, err := ortgo.NewSessionOptions()
	if err != nil {
		return fmt.Errorf("ort: creating session options: %w", err)
	}
	defer so.Destroy()
	if err := so.SetGraphOptimizationLevel(ortgo.GraphOptimizationLevelDisableAll); err != nil {
		return fmt.Errorf("ort: %w", err)
	}
	if err := so.SetIntraOpNumThreads(1); err != nil {
		return fmt.Errorf("ort: %w", err)
	}
	ins, outs, err := ortgo.GetInputOutputInfoWithOptions(m.ONNXPath, so)
	if err != nil {
		return fmt.Errorf("%w %s: %w", ErrModelLoad, m.ONNXPath, err)
	}
	return checkSignature(m.ONNXPath, m.Vocab, ins, outs)
}

func checkSignature(path string, vocab int, ins, outs []ortgo.InputOutputInfo) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s: %s (inputs %s, outputs %s; want inputs input_ids int64 [batch, seq] and attention_mask int64 [batch, seq], output logits float32 [batch, seq, vocab])",
			ErrModelSignature, path, fmt.Sprintf(format, args...), describe(ins), describe(outs))
	}
	if len(ins) != len(inputNames) {
		return bad("%d inputs, want %d", len(ins), len(inputNames))
	}
	for _, name := range inputNames {
		in, ok := find(ins, name)
		if !ok {
			return bad("no input %q", name)
		}
		if in.OrtValueType != ortgo.ONNXTypeTensor || in.DataType != ortgo.TensorElementDataTypeInt64 || len(in.Dimensions) != 2 {
			return bad("input %q is not an int64 tensor of rank 2", name)
		}
	}
	out, ok := find(outs, model.Logits)
	if !ok {
		return bad("no output %q", model.Logits)
	}
	if out.OrtValueType != ortgo.ONNXTypeTensor || out.DataType != ortgo.TensorElementDataTypeFloat || len(out.Dimensions) != 3 {
		return bad("output %q is not a float32 tensor of rank 3", model.Logits)
	}
	if v := out.Dimensions[2]; v > 0 && vocab > 0 && v != int64(vocab) {
		return bad("output %q has vocabulary %d, the model says %d", model.Logits, v, vocab)
	}
	return nil
}

func find(infos []ortgo.InputOutputInfo, name string) (ortgo.InputOutputInfo, bool) {
	for _, in := range infos {
		if in.Name == name {
			return in, true
		}
	}
	return ortgo.InputOutputInfo{}, false
}

// describe renders infos as [name dtype [dims], ...], -1 for symbolic dims.
func describe(infos []ortgo.InputOutputInfo) string {
	parts := make([]string, len(infos))
	for i, in := range infos {
		if in.OrtValueType != ortgo.ONNXTypeTensor {
			parts[i] = fmt.Sprintf("%s %s", in.Name, in.OrtValueType)
			continue
		}
		parts[i] = fmt.Sprintf("%s %s %v", in.Name, dtypeName(in.DataType), []int64(in.Dimensions))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// dtypeName shortens ORT's element type names: "int64", "float32", ….
func dtypeName(t ortgo.TensorElementDataType) string {
	switch t {
	case ortgo.TensorElementDataTypeFloat:
		return "float32"
	case ortgo.TensorElementDataTypeDouble:
		return "float64"
	}
	return strings.ToLower(strings.TrimPrefix(t.String(), "ONNX_TENSOR_ELEMENT_DATA_TYPE_"))
}
