package cuda

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/backends/ort/cpu"
	"github.com/inferbench/inferbench/internal/backends/ort/variant"
)

// ShapeOps are the operators ONNX Runtime places on the CPU on purpose
// when they compute shapes, indices or masks from a few elements (its
// "CPU-preferred" nodes); on such small inputs they are not fallbacks.
var ShapeOps = []string{"Shape", "Size", "Gather", "Unsqueeze", "Squeeze", "Concat", "Slice", "Range",
	"ConstantOfShape", "Reshape", "Expand", "Cast", "Equal", "Greater", "Less", "Or", "And", "Not", "Where"}

// SmallInput is the largest input, in elements, a ShapeOps node on
// another provider may have and still count as shape computation.
const SmallInput = 64

// Fallbacks returns the kernels of p that did not run on provider and do
// real work: every one except ShapeOps nodes whose inputs all have at
// most SmallInput elements.
func Fallbacks(p *variant.Profile, provider string) []variant.Kernel {
	var out []variant.Kernel
	for _, k := range p.Kernels {
		if k.Provider == provider {
			continue
		}
		if slices.Contains(ShapeOps, k.Op) && k.MaxInput <= SmallInput {
			continue
		}
		out = append(out, k)
	}
	return out
}

// Placement is the placement proof of a CUDA session's probe: kernels
// per provider ("placement-kernels-by-provider"), the number of fallback
// kernels ("placement-fallback-nodes") and, if any, the list
// ("placement-fallback-list", op:node). Fallbacks degrade the session.
func Placement(p *variant.Profile, provider string) (lines [][2]string, degraded string) {
	by := map[string]int{}
	for _, k := range p.Kernels {
		by[k.Provider]++
	}
	fb := Fallbacks(p, provider)
	lines = [][2]string{
		{"placement-kernels-by-provider", variant.FormatCounts(by)},
		{"placement-fallback-nodes", strconv.Itoa(len(fb))},
	}
	if len(fb) == 0 {
		return lines, ""
	}
	list := make([]string, len(fb))
	for i, k := range fb {
		list[i] = nodeRef(k)
	}
	lines = append(lines, [2]string{"placement-fallback-list", strings.Join(list, ",")})
	return lines, fmt.Sprintf("%d compute kernels ran outside %s: %s", len(fb), provider, strings.Join(list, ", "))
}

// nodeRef names a kernel as op:node@provider.
func nodeRef(k variant.Kernel) string { return k.Op + ":" + k.Node + "@" + k.Provider }

// IntegerOps are the operators that compute int8 MatMuls in integer
// arithmetic.
var IntegerOps = []string{"MatMulInteger", "MatMulIntegerToFloat", "QLinearMatMul", "DynamicQuantizeMatMul"}

// Judge returns the variant.Judge for a CUDA backend of precision prec:
// Placement, plus for fp16 the element types of the MatMul kernels on
// the CUDA provider (degraded unless at least half took float16 inputs)
// and for int8 the integer MatMul kernels on it (degraded unless there
// are any). The first reason found is the session's.
func Judge(prec model.Precision) variant.Judge {
	return func(p *variant.Profile, _ *model.Model) ([][2]string, string) {
		lines, degraded := Placement(p, ProviderName)
		onCUDA := &variant.Profile{}
		for _, k := range p.Kernels {
			if k.Provider == ProviderName {
				onCUDA.Kernels = append(onCUDA.Kernels, k)
			}
		}
		var reason string
		switch prec {
		case model.FP16:
			types := onCUDA.InputTypes(cpu.MatMuls...)
			total := 0
			for _, n := range types {
				total += n
			}
			lines = append(lines, [2]string{"fp16-matmul-kernels", variant.FormatCounts(types)})
			if total == 0 || 2*types["float16"] < total {
				reason = fmt.Sprintf("not fp16 compute: %d of %d MatMul kernels on %s took float16 inputs", types["float16"], total, ProviderName)
			}
		case model.INT8:
			n := onCUDA.Count(IntegerOps...)
			lines = append(lines, [2]string{"int8-integer-kernels", strconv.Itoa(n)},
				[2]string{"int8-matmul-kernels", variant.FormatCounts(onCUDA.Ops())})
			if n == 0 {
				reason = fmt.Sprintf("no integer MatMul kernel (%s) ran on %s: the Q/DQ MatMuls run dequantized in float", strings.Join(IntegerOps, ", "), ProviderName)
			}
		}
		if degraded == "" {
			degraded = reason
		} else if reason != "" {
			degraded = reason + "; " + degraded
		}
		return lines, degraded
	}
}
