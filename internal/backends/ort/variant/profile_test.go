package variant_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/inferbench/inferbench/internal/backends/ort/variant"
)

// profileJSON is shaped like an ORT 1.30 profile: session events, a
// node's fence and kernel events, and an inserted cast.
const profileJSON = `[
{"cat":"Session","name":"model_loading_uri","args":{}},
{"cat":"Session","name":"model_run","dur":90,"args":{}},
{"cat":"Node","name":"h.0/attn/qkv_matmul_fence_before","args":{"op_name":"MatMul"}},
{"cat":"Node","name":"h.0/attn/qkv_matmul_kernel_time","dur":30,"args":{"op_name":"MatMulIntegerToFloat","provider":"CPUExecutionProvider","input_type_shape":[{"uint8":[1,8,64]},{"int8":[64,192]},{"float":[]}]}},
{"cat":"Node","name":"h.0/attn/qkv_input_quantize_kernel_time","args":{"op_name":"QuantizeLinear","provider":"CPUExecutionProvider","input_type_shape":[{"float":[1,8,64]},{"float":[]},{"uint8":[]}]}},
{"cat":"Node","name":"InsertedPrecisionFreeCast_embed/wte_gather_kernel_time","args":{"op_name":"Cast","provider":"CPUExecutionProvider","input_type_shape":[{"float16":[1,8,64]}]}},
{"cat":"Node","name":"lm_head/matmul_kernel_time","dur":40,"args":{"op_name":"MatMul","provider":"CPUExecutionProvider","input_type_shape":[{"float":[1,8,64]}]}},
{"cat":"Node","name":"h.0/mlp/fc_matmul_kernel_time","args":{"op_name":"FusedMatMul","provider":"CPUExecutionProvider","input_type_shape":[{"float16":[1,8,64]},{"float16":[64,256]}]}}
]`

func TestParse(t *testing.T) {
	path := filepath.Join(t.TempDir(), "profile.json")
	if err := os.WriteFile(path, []byte(profileJSON), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := variant.Parse(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Kernels) != 5 {
		t.Fatalf("%d kernels, want 5 (fences and session events skipped): %+v", len(p.Kernels), p.Kernels)
	}
	k := p.Kernels[0]
	if k.Node != "h.0/attn/qkv_matmul" || k.Op != "MatMulIntegerToFloat" || k.Provider != "CPUExecutionProvider" ||
		len(k.Inputs) != 3 || k.Inputs[0] != "uint8" || k.Inputs[1] != "int8" {
		t.Errorf("first kernel %+v", k)
	}
	tests := []struct {
		name, got, want string
	}{
		{"ops", variant.FormatCounts(p.Ops()), "Cast=1,FusedMatMul=1,MatMul=1,MatMulIntegerToFloat=1,QuantizeLinear=1"},
		{"matmul types", variant.FormatCounts(p.InputTypes("MatMul", "FusedMatMul")), "float=1,float16=1"},
		{"empty", variant.FormatCounts(nil), "none"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, tt.got, tt.want)
		}
	}
	if n := p.Count("MatMul", "MatMulIntegerToFloat"); n != 2 {
		t.Errorf("Count = %d, want 2", n)
	}
	if n := p.InsertedCasts(); n != 1 {
		t.Errorf("InsertedCasts = %d, want 1", n)
	}
	if p.Runs != 1 {
		t.Errorf("Runs = %d, want 1", p.Runs)
	}
	times := p.Times()
	if len(times) != 5 || times[0] != (variant.OpTime{Op: "MatMul", Provider: "CPUExecutionProvider", Kernels: 1, Micros: 40}) ||
		times[1].Op != "MatMulIntegerToFloat" || times[1].Micros != 30 || times[2].Op != "Cast" {
		t.Errorf("Times = %+v", times)
	}
}

func TestParseErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{bad, filepath.Join(dir, "missing.json")} {
		if _, err := variant.Parse(path); err == nil {
			t.Errorf("Parse(%s) succeeded", path)
		}
	}
}
