package variant

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/lm/zoo"
)

// fuse returns v's fused graph (zoo.Fused). A model that cannot be fused
// (a foreign file, an int8 variant) makes the backend unavailable with the
// reason.
func fuse(backend string, v *model.Model) (*model.Model, error) {
	f, err := zoo.Fused(v)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", backends.Unavailable(backend, "no fused graph: %v", err), err)
	}
	return f, nil
}

// JudgeFused compares the contrib-op kernels the probe ran with the fused
// graph's contrib-op nodes (the model's zoo.ExtraFusedOps): its line
// "fused-kernels" counts the kernels of those operators that ran, and the
// session is degraded if any operator ran fewer kernels than the graph has
// nodes (ONNX Runtime rewrote or dropped a fused node) or the model records
// no counts. "fused-kernel-inputs" counts those kernels by the element
// type of their first input; an fp16 model whose fused kernels did not
// all take float16 is degraded too (ORT ran them in float32 between
// Casts).
func JudgeFused(p *Profile, v *model.Model) ([][2]string, string) {
	want, err := ParseCounts(v.Identity.Extra[zoo.ExtraFusedOps])
	if err == nil && len(want) == 0 {
		err = errors.New("no fused-op counts recorded")
	}
	if err != nil {
		return [][2]string{{"fused-kernels", "unknown"}}, fmt.Sprintf("fused graph: %v", err)
	}
	ran := map[string]int{}
	for op := range want {
		ran[op] = p.Count(op)
	}
	ops := slices.Sorted(maps.Keys(want))
	types := p.InputTypes(ops...)
	lines := [][2]string{{"fused-kernels", FormatCounts(ran)}, {"fused-kernel-inputs", FormatCounts(types)}}
	var short []string
	for _, op := range ops {
		if ran[op] < want[op] {
			short = append(short, fmt.Sprintf("%d of %d %s", ran[op], want[op], op))
		}
	}
	if len(short) > 0 {
		return lines, "fused graph not run fused: the probe ran " + strings.Join(short, ", ") + " kernels"
	}
	if n := p.Count(ops...); v.Identity.Precision == model.FP16 && types["float16"] < n {
		return lines, fmt.Sprintf("fp16 fused graph: %d of %d fused kernels took float16 inputs (ORT cast the others to float32)", types["float16"], n)
	}
	return lines, ""
}

// ParseCounts parses FormatCounts' "a=1,b=2" ("none" and "" are empty).
func ParseCounts(s string) (map[string]int, error) {
	out := map[string]int{}
	if s == "" || s == "none" {
		return out, nil
	}
	for _, kv := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(kv, "=")
		n, err := strconv.Atoi(v)
		if !ok || k == "" || err != nil || n < 0 {
			return nil, fmt.Errorf("variant: bad count %q in %q", kv, s)
		}
		out[k] = n
	}
	return out, nil
}
