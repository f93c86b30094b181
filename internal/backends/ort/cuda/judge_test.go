package cuda_test

import (
	"strings"
	"testing"

	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/backends/ort/cuda"
	"github.com/inferbench/inferbench/internal/backends/ort/variant"
)

const (
	onCUDA = cuda.ProviderName
	onCPU  = "CPUExecutionProvider"
)

func k(node, op, provider string, maxInput int64, types ...string) variant.Kernel {
	return variant.Kernel{Node: node, Op: op, Provider: provider, Inputs: types, MaxInput: maxInput}
}

func TestJudge(t *testing.T) {
	shape := k("shape/gather", "Gather", onCPU, 4, "int64")
	tests := []struct {
		name      string
		prec      model.Precision
		kernels   []variant.Kernel
		fallbacks string
		degraded  string // substring; "" means not degraded
	}{
		{"all on CUDA", model.FP32, []variant.Kernel{k("mm", "MatMul", onCUDA, 1e6, "float"), shape}, "0", ""},
		{"compute on CPU", model.FP32, []variant.Kernel{k("mm", "MatMul", onCPU, 1e6, "float"), shape}, "1", "MatMul:mm@CPUExecutionProvider"},
		{"big gather on CPU", model.FP32, []variant.Kernel{k("wte", "Gather", onCPU, 38597376, "float")}, "1", "Gather:wte"},
		{"fp16 matmuls", model.FP16, []variant.Kernel{k("a", "MatMul", onCUDA, 1e6, "float16"), k("b", "FusedMatMul", onCUDA, 1e6, "float16"), k("c", "MatMul", onCUDA, 10, "float")}, "0", ""},
		{"fp32 matmuls in fp16 backend", model.FP16, []variant.Kernel{k("a", "MatMul", onCUDA, 1e6, "float"), k("b", "MatMul", onCUDA, 1e6, "float16"), k("c", "MatMul", onCUDA, 1e6, "float")}, "0", "1 of 3 MatMul kernels"},
		{"int8 dequantized", model.INT8, []variant.Kernel{k("dq", "DequantizeLinear", onCUDA, 1e6, "int8"), k("mm", "MatMul", onCUDA, 1e6, "float")}, "0", "no integer MatMul kernel"},
		{"int8 integer", model.INT8, []variant.Kernel{k("mm", "MatMulIntegerToFloat", onCUDA, 1e6, "uint8", "int8")}, "0", ""},
		{"int8 on CPU", model.INT8, []variant.Kernel{k("mm", "MatMulIntegerToFloat", onCPU, 1e6, "uint8", "int8")}, "1", "no integer MatMul kernel"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines, degraded := cuda.Judge(tt.prec)(&variant.Profile{Kernels: tt.kernels}, nil)
			got := map[string]string{}
			for _, l := range lines {
				got[l[0]] = l[1]
			}
			if got["placement-fallback-nodes"] != tt.fallbacks || got["placement-kernels-by-provider"] == "" {
				t.Errorf("lines %v, want %s fallback nodes", lines, tt.fallbacks)
			}
			if tt.degraded == "" && degraded != "" || tt.degraded != "" && !strings.Contains(degraded, tt.degraded) {
				t.Errorf("degraded %q, want %q", degraded, tt.degraded)
			}
		})
	}
}
