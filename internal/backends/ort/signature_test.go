package ort

import (
	"errors"
	"strings"
	"testing"

	ortgo "github.com/yalue/onnxruntime_go"
)

func tensorInfo(name string, dt ortgo.TensorElementDataType, dims ...int64) ortgo.InputOutputInfo {
	return ortgo.InputOutputInfo{Name: name, OrtValueType: ortgo.ONNXTypeTensor, DataType: dt, Dimensions: dims}
}

func TestCheckSignature(t *testing.T) {
	const i64, f32 = ortgo.TensorElementDataTypeInt64, ortgo.TensorElementDataTypeFloat
	ids := tensorInfo("input_ids", i64, -1, -1)
	mask := tensorInfo("attention_mask", i64, -1, -1)
	logits := tensorInfo("logits", f32, -1, -1, 7)
	tests := []struct {
		name     string
		ins      []ortgo.InputOutputInfo
		outs     []ortgo.InputOutputInfo
		wantText string // "" means valid
	}{
		{"ok", []ortgo.InputOutputInfo{ids, mask}, []ortgo.InputOutputInfo{logits}, ""},
		{"inputs reordered", []ortgo.InputOutputInfo{mask, ids}, []ortgo.InputOutputInfo{logits}, ""},
		{"extra output", []ortgo.InputOutputInfo{ids, mask}, []ortgo.InputOutputInfo{tensorInfo("present.0", f32, 1, 2, 3, 4), logits}, ""},
		{"symbolic vocab", []ortgo.InputOutputInfo{ids, mask}, []ortgo.InputOutputInfo{tensorInfo("logits", f32, -1, -1, -1)}, ""},
		{"wrong names", []ortgo.InputOutputInfo{tensorInfo("ids", i64, -1, -1), tensorInfo("mask", i64, -1, -1)}, []ortgo.InputOutputInfo{logits},
			`no input "input_ids" (inputs [ids int64 [-1 -1], mask int64 [-1 -1]]`},
		{"missing mask", []ortgo.InputOutputInfo{ids}, []ortgo.InputOutputInfo{logits}, "1 inputs, want 2"},
		{"extra input", []ortgo.InputOutputInfo{ids, mask, tensorInfo("position_ids", i64, -1, -1)}, []ortgo.InputOutputInfo{logits}, "3 inputs, want 2"},
		{"int32 ids", []ortgo.InputOutputInfo{tensorInfo("input_ids", ortgo.TensorElementDataTypeInt32, -1, -1), mask}, []ortgo.InputOutputInfo{logits},
			`input "input_ids" is not an int64 tensor of rank 2`},
		{"no logits", []ortgo.InputOutputInfo{ids, mask}, []ortgo.InputOutputInfo{tensorInfo("out", f32, -1, -1, 7)}, `no output "logits"`},
		{"logits rank 2", []ortgo.InputOutputInfo{ids, mask}, []ortgo.InputOutputInfo{tensorInfo("logits", f32, -1, 7)}, "not a float32 tensor of rank 3"},
		{"fp16 logits", []ortgo.InputOutputInfo{ids, mask}, []ortgo.InputOutputInfo{tensorInfo("logits", ortgo.TensorElementDataTypeFloat16, -1, -1, 7)}, "not a float32 tensor of rank 3"},
		{"vocab mismatch", []ortgo.InputOutputInfo{ids, mask}, []ortgo.InputOutputInfo{tensorInfo("logits", f32, -1, -1, 9)}, "vocabulary 9, the model says 7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkSignature("/models/m.onnx", 7, tt.ins, tt.outs)
			if tt.wantText == "" {
				if err != nil {
					t.Fatalf("checkSignature: %v", err)
				}
				return
			}
			if !errors.Is(err, ErrModelSignature) {
				t.Fatalf("checkSignature = %v, want ErrModelSignature", err)
			}
			for _, s := range []string{"/models/m.onnx", tt.wantText, "want inputs input_ids int64"} {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not mention %q", err, s)
				}
			}
		})
	}
}
