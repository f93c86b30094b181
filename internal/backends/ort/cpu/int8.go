package cpu

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/backends/ort/variant"
)

// IntegerMatMuls are the ONNX Runtime operators that multiply integers:
// what a QDQ MatMul becomes when ORT fuses it.
var IntegerMatMuls = []string{
	"MatMulIntegerToFloat", "QLinearMatMul", "MatMulInteger", "QGemm",
	"DynamicQuantizeMatMul", "QAttention",
}

// quantizers turn float activations into integers for those MatMuls.
var quantizers = []string{"QuantizeLinear", "DynamicQuantizeLinear"}

// JudgeINT8 reports what the int8 probe ran: the integer kernels by type
// ("int8-kernels"), how many of the variant's quantized MatMuls
// (Identity.Extra "quant-matmuls"; at least one if unrecorded) ran an
// integer kernel ("int8-matmuls", as "ran/quantized"), and how many
// DequantizeLinear nodes were left to run in float. Fewer integer MatMuls
// than quantized ones degrade the session: the QDQ graph then runs (partly)
// in float and its timings are not int8's.
func JudgeINT8(p *variant.Profile, v *model.Model) ([][2]string, string) {
	ops := p.Ops()
	ints := map[string]int{}
	for op, n := range ops {
		if slices.Contains(IntegerMatMuls, op) || slices.Contains(quantizers, op) {
			ints[op] = n
		}
	}
	ran := p.Count(IntegerMatMuls...)
	want, err := strconv.Atoi(v.Identity.Extra["quant-matmuls"])
	if err != nil || want < 1 {
		want = 1
	}
	deq := ops["DequantizeLinear"]
	lines := [][2]string{
		{"int8-kernels", variant.FormatCounts(ints)},
		{"int8-matmuls", fmt.Sprintf("%d/%d", ran, want)},
		{"int8-float-dequantize", strconv.Itoa(deq)},
	}
	switch {
	case ran == 0:
		return lines, fmt.Sprintf("no integer MatMul kernel ran (%d DequantizeLinear ran in float): the model runs in float, not int8", deq)
	case ran < want:
		return lines, fmt.Sprintf("only %d of %d quantized MatMuls ran integer kernels (%d DequantizeLinear ran in float)", ran, want, deq)
	}
	return lines, ""
}
