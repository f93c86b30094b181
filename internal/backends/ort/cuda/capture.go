package cuda

import (
	"fmt"
	"strings"

	"github.com/inferbench/inferbench/internal/backends/ort/variant"
)

// GraphCaptureRefused reports whether err is ONNX Runtime refusing CUDA
// graphs for a model when the session is created: "This session cannot
// use the graph capture feature as requested by the user as all compute
// graph nodes have not been partitioned to the CUDAExecutionProvider"
// (some nodes, typically shape computations of an exported graph, were
// placed on the CPU provider), "… as the model has control flow nodes …",
// or older builds' wording with "CUDA Graph".
func GraphCaptureRefused(err error) bool {
	if err == nil {
		return false
	}
	s := strings.ToLower(err.Error())
	return strings.Contains(s, "graph capture") || strings.Contains(s, "cuda graph")
}

// maxListed is how many nodes CaptureBlockers names.
const maxListed = 8

// CaptureBlockers describes the kernels of p that ran outside provider,
// which is what stops ORT from capturing the whole model in a CUDA graph:
// how many, per operator type, and the first maxListed as op:node@provider.
// It returns "" when every kernel ran on provider.
func CaptureBlockers(p *variant.Profile, provider string) string {
	var off []variant.Kernel
	ops := map[string]int{}
	for _, k := range p.Kernels {
		if k.Provider != provider {
			off = append(off, k)
			ops[k.Op]++
		}
	}
	if len(off) == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d nodes placed outside %s (%s): ", len(off), provider, variant.FormatCounts(ops))
	for i, k := range off[:min(len(off), maxListed)] {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(nodeRef(k))
	}
	if len(off) > maxListed {
		fmt.Fprintf(&b, ", … %d more", len(off)-maxListed)
	}
	return b.String()
}
