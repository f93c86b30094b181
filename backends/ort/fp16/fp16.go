package fp16

import (
	"fmt"
	"strconv"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/ort/cpu"
	"github.com/inferbench/inferbench/backends/ort/variant"
	"github.com/inferbench/inferbench/fixtures/model"
)

// Name is the registry key.
const Name = "ort-cpu-fp16"

func init() { backends.Register(Backend{}) }

// MatMuls are the operators that carry a GPT-2's FLOPs.
var MatMuls = []string{"MatMul", "FusedMatMul", "Gemm"}

// Backend is ONNX Runtime's CPU execution provider on the fp16 variant of
// the model.
type Backend struct{}

// Name implements backends.Backend.
func (Backend) Name() string { return Name }

// Precision implements backends.Backend.
func (Backend) Precision() model.Precision { return model.FP16 }

// Device implements backends.Backend.
func (Backend) Device() string { return "cpu" }

// Open implements backends.Backend. It runs m's fp16 variant (m itself if
// m is fp16, else zoo.Variant's, built and cached on first use) with
// ort-cpu's session options. The session is a *variant.Session, degraded
// if its probe finds the MatMuls running float32 kernels (see Judge).
func (Backend) Open(m *model.Model, opts backends.Options) (backends.Session, error) {
	s, err := variant.Open(Name, model.FP16, m, cpu.Options(opts), Judge)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// Judge reports the element types the probe's MatMul kernels computed in
// ("fp16-matmul-kernels: float=49" or "float16=49") and how many Casts ORT
// inserted around nodes without a float16 kernel ("ort-inserted-casts").
// If fewer than half the MatMuls ran float16 kernels the session is
// degraded: the model's weights are rounded to fp16, which accuracy
// measures, but its time is that of float32 compute plus casts, which must
// not pass for fp16 speed.
func Judge(p *variant.Profile, _ *model.Model) ([][2]string, string) {
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
