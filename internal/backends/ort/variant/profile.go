package variant

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
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
}

// Profile is the kernels of one profiled run, in execution order.
type Profile struct {
	Kernels []Kernel
}

// profileEvent is the part of an ORT profile event Parse reads.
type profileEvent struct {
	Cat  string `json:"cat"`
	Name string `json:"name"`
	Args struct {
		OpName   string               `json:"op_name"`
		Provider string               `json:"provider"`
		Inputs   []map[string][]int64 `json:"input_type_shape"`
	} `json:"args"`
}

// Parse reads an ORT JSON profile: every "Node" event that timed a kernel
// ("<node>_kernel_time"), with its operator, provider and input types.
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
		node, ok := strings.CutSuffix(e.Name, "_kernel_time")
		if e.Cat != "Node" || !ok || e.Args.OpName == "" {
			continue
		}
		k := Kernel{Node: node, Op: e.Args.OpName, Provider: e.Args.Provider}
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
	parts := make([]string, 0, len(counts))
	for _, k := range slices.Sorted(maps.Keys(counts)) {
		parts = append(parts, k+"="+strconv.Itoa(counts[k]))
	}
	return strings.Join(parts, ",")
}
