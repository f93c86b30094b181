package gate

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strings"

	"github.com/inferbench/inferbench/internal/envstate"
	"github.com/inferbench/inferbench/tools/internal/benchdata"
)

// ErrMachineDiff reports old and new results from different machines.
var ErrMachineDiff = errors.New("old and new ran on different machines")

// KeyDiff is a configuration key whose values differ between old and new.
type KeyDiff struct {
	Key      string
	Old, New []string // the distinct values per side, sorted; nil if absent
}

func (d KeyDiff) String() string {
	side := func(v []string) string {
		if len(v) == 0 {
			return "(none)"
		}
		return strings.Join(v, ", ")
	}
	return fmt.Sprintf("%s: %s → %s", d.Key, side(d.Old), side(d.New))
}

// runtimeKeys match configuration keys that describe the software the
// benchmarks ran: comparing them is a legitimate use, so they are only
// reported, prominently.
var runtimeKeys = regexp.MustCompile(`^(go-version|ort-.*|onnxruntime.*|torch.*|model|model-.*|corpus|corpus-.*)$`)

// environment sorts the configuration keys that differ between old and
// new into machine, runtime and other keys.
func environment(c *benchdata.Collection) (machine, runtime []KeyDiff, other []string) {
	for _, k := range c.ConfigDiff() {
		d := KeyDiff{Key: k, Old: c.ConfigValues(benchdata.Old, k), New: c.ConfigValues(benchdata.New, k)}
		switch {
		case benchdata.IsMachineKey(k):
			machine = append(machine, d)
		case runtimeKeys.MatchString(k):
			runtime = append(runtime, d)
		default:
			other = append(other, k)
		}
	}
	return machine, runtime, other
}

// checkEnvironment fills rep's environment differences, or returns
// ErrMachineDiff naming the machine keys that differ.
func checkEnvironment(c *benchdata.Collection, rep *Report) error {
	machine, runtime, other := environment(c)
	if len(machine) > 0 && !rep.Options.AllowEnvDiff {
		msg := make([]string, len(machine))
		for i, d := range machine {
			msg[i] = d.String()
		}
		return fmt.Errorf("%s vs %s: %w: %s (pass -allow-env-diff to compare anyway)",
			files(c.Files[0]), files(c.Files[1]), ErrMachineDiff, strings.Join(msg, "; "))
	}
	rep.Machine, rep.Runtime = machine, runtime
	if len(other) > 0 {
		rep.Warnings = append(rep.Warnings, fmt.Errorf("old and new configurations differ in %v: are they comparable?", other))
	}
	if w := clockWarning(c); w != nil {
		rep.Warnings = append(rep.Warnings, w)
	}
	return nil
}

// clockShift is the relative difference of the sides' median clocks
// above which clockWarning speaks.
const clockShift = 0.02

// clockWarning says when old and new ran at different clocks (the
// medians of the GPU's mean SM clock, or of the CPU's frequency, over
// each side's results differ by more than clockShift): the same code
// then runs at a different speed, and only locked clocks make the
// comparison about the code.
func clockWarning(c *benchdata.Collection) error {
	var msgs []string
	for _, u := range []string{envstate.SMMHz, envstate.MemMHz, envstate.CPUMHz} {
		o, n := c.EnvValues(benchdata.Old, u), c.EnvValues(benchdata.New, u)
		if len(o) == 0 || len(n) == 0 {
			continue
		}
		m := medians([][]float64{o, n})
		mo, mn := m[0], m[1]
		if mo > 0 && math.Abs(mn/mo-1) > clockShift {
			msgs = append(msgs, fmt.Sprintf("%s median %.0f → %.0f (%+.1f%%)", u, mo, mn, 100*(mn/mo-1)))
		}
	}
	if len(msgs) == 0 {
		return nil
	}
	return fmt.Errorf("old and new ran at different clocks: %s; lock the clocks (README) to compare code, not clocks", strings.Join(msgs, "; "))
}
