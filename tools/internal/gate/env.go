package gate

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

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
	return nil
}
