package cpu

import (
	"fmt"
	"strconv"

	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/backends/ort/variant"
)

// MatMuls are the operators that carry a GPT-2's FLOPs.
var MatMuls = []string{"MatMul", "FusedMatMul", "Gemm"}

// JudgeFP16 reports the element types the probe's MatMul kernels computed in
// ("fp16-matmul-kernels: float=49" or "float16=49") and how many Casts ORT
// inserted around nodes without a float16 kernel ("ort-inserted-casts").
// If fewer than half the MatMuls ran float16 kernels the session is
// degraded: the model's weights are rounded to fp16, which accuracy
// measures, but its time is that of float32 compute plus casts, which must
// not pass for fp16 speed.
func JudgeFP16(p *variant.Profile, _ *model.Model) ([][2]string, string) {
	types := p.InputTypes(MatMuls...)
	total := 0
	for _, n := range types {
		total += n
	}
	half, casts := types["float16"], p.InsertedCasts()
	lines := [][2]string{
		{"fp16-matmul-kernels", variant.FormatCounts(types)},
		{"ort-inserted-casts", strconv.Itoa(casts)},
	}
	if total == 0 || 2*half < total {
		return lines, fmt.Sprintf("runs in float32: %d of %d MatMul kernels took float16 inputs; ORT inserted %d Casts to run ops that have no float16 kernel on this CPU in float32",
			half, total, casts)
	}
	return lines, ""
}
