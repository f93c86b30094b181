package harness

import (
	"fmt"
	"strings"
)

// Scenario is one prefill shape.
type Scenario struct {
	Name  string
	Batch int
	Seq   int
}

// Tokens is the number of token positions one prefill processes.
func (s Scenario) Tokens() int { return s.Batch * s.Seq }

func (s Scenario) String() string { return fmt.Sprintf("%s(%d×%d)", s.Name, s.Batch, s.Seq) }

// Report lists the six shapes of the report this project replaces, followed
// by longer ones it never measured.
var Report = []Scenario{
	{"single_micro", 1, 8},
	{"single_short", 1, 11},
	{"single_medium", 1, 20},
	{"single_long", 1, 27},
	{"batch_short", 4, 11},
	{"batch_medium", 4, 19},
}

// Long are the shapes beyond the report.
var Long = []Scenario{
	{"single_128", 1, 128},
	{"single_512", 1, 512},
	{"batch_8x128", 8, 128},
}

// All is every scenario, report first.
func All() []Scenario { return append(append([]Scenario(nil), Report...), Long...) }

// Select returns the scenarios named in a comma-separated list ("" or "all":
// every scenario; "report": the six report shapes; "long": the rest).
func Select(list string) ([]Scenario, error) {
	switch list {
	case "", "all":
		return All(), nil
	case "report":
		return Report, nil
	case "long":
		return Long, nil
	}
	byName := map[string]Scenario{}
	for _, s := range All() {
		byName[s.Name] = s
	}
	var out []Scenario
	for _, n := range strings.Split(list, ",") {
		s, ok := byName[strings.TrimSpace(n)]
		if !ok {
			return nil, fmt.Errorf("harness: unknown scenario %q (known: %s)", n, names(All()))
		}
		out = append(out, s)
	}
	return out, nil
}

func names(ss []Scenario) string {
	var n []string
	for _, s := range ss {
		n = append(n, s.Name)
	}
	return strings.Join(n, ", ")
}

// Inputs cuts batch rows of seq real token ids from a corpus' tokens, each
// row starting at a different offset, so benchmarks run on text the model
// would see rather than on constant or random ids.
func Inputs(corpus []int64, s Scenario) ([]int64, error) {
	if len(corpus) < s.Seq {
		return nil, fmt.Errorf("harness: corpus has %d tokens, scenario %s needs rows of %d", len(corpus), s, s.Seq)
	}
	out := make([]int64, 0, s.Tokens())
	stride := (len(corpus) - s.Seq) / s.Batch
	for b := 0; b < s.Batch; b++ {
		off := b * stride
		out = append(out, corpus[off:off+s.Seq]...)
	}
	return out, nil
}
