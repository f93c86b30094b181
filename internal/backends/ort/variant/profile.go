package variant

import (
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/inferbench/inferbench/internal/lm/gpt2/graph"
)

// InsertedCastPrefix starts the names of the Cast nodes ONNX Runtime
// inserts around a node whose inputs have no kernel in their type (such as
// a float16 MatMul on a CPU without float16 kernels): the node then runs
// its float32 kernel between the casts.
const InsertedCastPrefix = "InsertedPrecisionFreeCast_"

// Kernel is one node execution in an ORT profile.
type Kernel struct {
	Node     string   // node name, such as "h.0/attn/qkv_matmul"
	Op       string   // operator type that ran, such as "MatMulIntegerToFloat"
	Provider string   // execution provider, such as "CPUExecutionProvider"
	Inputs   []string // element type of each input ORT recorded: "float", "float16", "uint8", …
	MaxInput int64    // elements of the largest input (0 if none recorded)
	Micros   int64    // the kernel's time, µs ("dur")
}

// Profile is the kernels of the profiled runs, in execution order.
type Profile struct {
	Kernels []Kernel
	// Runs is the number of runs profiled ("model_run" events).
	Runs int
}

// profileEvent is the part of an ORT profile event Parse reads.
type profileEvent struct {
	Cat  string `json:"cat"`
	Name string `json:"name"`
	Dur  int64  `json:"dur"`
	Args struct {
		OpName   string               `json:"op_name"`
		Provider string               `json:"provider"`
		Inputs   []map[string][]int64 `json:"input_type_shape"`
	} `json:"args"`
}

// Parse reads an ORT JSON profile: every "Node" event that timed a kernel
// ("<node>_kernel_time"), with its operator, provider, input types and
// time, and the number of runs.
func Parse(path string) (*Profile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("variant: reading profile: %w", err)
	}
	var events []profileEvent
	if err := json.Unmarshal(data, &events); err != nil {
		return nil, fmt.Errorf("variant: parsing profile %s: %w", path, err)
	}
	p := &Profile{}
	for _, e := range events {
		if e.Cat == "Session" && e.Name == "model_run" {
			p.Runs++
		}
		node, ok := strings.CutSuffix(e.Name, "_kernel_time")
		if e.Cat != "Node" || !ok || e.Args.OpName == "" {
			continue
		}
		k := Kernel{Node: node, Op: e.Args.OpName, Provider: e.Args.Provider, Micros: e.Dur}
		for _, in := range e.Args.Inputs {
			for typ, dims := range in { // one entry: {"float": [dims]}
				k.Inputs = append(k.Inputs, typ)
				n := int64(1)
				for _, d := range dims {
					n *= d
				}
				k.MaxInput = max(k.MaxInput, n)
			}
		}
		p.Kernels = append(p.Kernels, k)
	}
	return p, nil
}

// Ops counts the kernels per operator type.
func (p *Profile) Ops() map[string]int {
	ops := map[string]int{}
	for _, k := range p.Kernels {
		ops[k.Op]++
	}
	return ops
}

// Count is the number of kernels of the given operator types.
func (p *Profile) Count(ops ...string) int {
	n := 0
	for _, k := range p.Kernels {
		if slices.Contains(ops, k.Op) {
			n++
		}
	}
	return n
}

// InsertedCasts is the number of Cast nodes ONNX Runtime inserted for
// kernels missing in a type (see InsertedCastPrefix).
func (p *Profile) InsertedCasts() int {
	n := 0
	for _, k := range p.Kernels {
		if k.Op == "Cast" && strings.HasPrefix(k.Node, InsertedCastPrefix) {
			n++
		}
	}
	return n
}

// InputTypes counts the kernels of the given operator types by the element
// type of their first input, such as {"float": 9, "float16": 2}.
func (p *Profile) InputTypes(ops ...string) map[string]int {
	types := map[string]int{}
	for _, k := range p.Kernels {
		if slices.Contains(ops, k.Op) {
			t := "unknown"
			if len(k.Inputs) > 0 {
				t = k.Inputs[0]
			}
			types[t]++
		}
	}
	return types
}

// FormatCounts renders counts as "a=1,b=2" in key order ("none" if empty),
// for configuration lines.
func FormatCounts(counts map[string]int) string {
	if len(counts) == 0 {
		return "none"
	}
	return graph.FormatOps(counts)
}

// OpTime is the kernels of one operator type on one provider in a profile.
type OpTime struct {
	Op, Provider string
	Kernels      int   // kernels that ran, over all runs
	Micros       int64 // their time, µs, over all runs
}

// Times sums the kernels per operator type and provider, the most time
// first (then by operator and provider).
func (p *Profile) Times() []OpTime {
	byKey := map[[2]string]*OpTime{}
	for _, k := range p.Kernels {
		key := [2]string{k.Op, k.Provider}
		t := byKey[key]
		if t == nil {
			t = &OpTime{Op: k.Op, Provider: k.Provider}
			byKey[key] = t
		}
		t.Kernels++
		t.Micros += k.Micros
	}
	out := make([]OpTime, 0, len(byKey))
	for _, t := range byKey {
		out = append(out, *t)
	}
	slices.SortFunc(out, func(a, b OpTime) int {
		if a.Micros != b.Micros {
			return cmp.Compare(b.Micros, a.Micros)
		}
		return cmp.Or(strings.Compare(a.Op, b.Op), strings.Compare(a.Provider, b.Provider))
	})
	return out
}
