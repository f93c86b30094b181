package gate

import (
	"errors"
	"fmt"

	"github.com/inferbench/inferbench/tools/internal/abtest"
)

// ErrOption reports an invalid Options value.
var ErrOption = errors.New("invalid gate option")

// Power is the probability with which a row's minimum detectable effect
// (Row.MDE) would be detected.
const Power = 0.8

// Options are the gate's thresholds.
type Options struct {
	// Threshold is the smallest relative slowdown of the median that
	// fails the gate, as a fraction: 0.05 is 5%. It is also the margin of
	// the equivalence test and the effect every judged row must have been
	// able to detect.
	Threshold float64
	// Alpha is the family-wise significance level: a row can be
	// significant only if its Holm-adjusted p-value is below Alpha.
	Alpha float64
	// MinEffect is the smallest |Cohen's d| of a significant row.
	MinEffect float64
	// Confidence is the level of the medians' confidence intervals.
	Confidence float64
	// MinRuns is the number of runs (processes) per side from which rows
	// are tested on per-run medians; 0 means the smallest number with
	// which a Mann-Whitney U test on the run medians can reach p < Alpha
	// at all (4 at α = 0.05). See the package documentation.
	MinRuns int
	// MinWithinCV is the within-run coefficient of variation below which
	// a metric counts as constant within a process and is not judged
	// from fewer than MinRuns runs per side, as a fraction.
	MinWithinCV float64
	// InconclusivePass makes inconclusive rows pass (exit 0) instead of
	// failing with ExitInconclusive.
	InconclusivePass bool
	// Primary, if set, is the one unit (as tidied: sec/op) the gate
	// decides on: only its rows form the Holm family and can fail or
	// leave the comparison inconclusive; the other units' rows are
	// tested as a second family, reported, and turned into warnings when
	// they would fail. Empty: every unit is gated.
	Primary string
	// AllowEnvDiff allows machine configuration keys to differ between
	// old and new; they are then reported like runtime keys.
	AllowEnvDiff bool
	// AllowMissing lets a benchmark (or a unit) of the old input be
	// absent from the new one; without it Evaluate fails with
	// ErrVanished (see missing.go).
	AllowMissing bool
}

// DefaultOptions are benchgate's defaults; the package documentation
// justifies them.
var DefaultOptions = Options{Threshold: 0.05, Alpha: 0.05, MinEffect: 0.5, Confidence: 0.95, MinWithinCV: 0.01}

func (o Options) validate() error {
	switch {
	case !(o.Threshold >= 0):
		return fmt.Errorf("%w: threshold %v must be ≥ 0", ErrOption, o.Threshold)
	case !(o.Alpha > 0 && o.Alpha < 1):
		return fmt.Errorf("%w: alpha %v must be in (0, 1)", ErrOption, o.Alpha)
	case !(o.MinEffect >= 0):
		return fmt.Errorf("%w: min-effect %v must be ≥ 0", ErrOption, o.MinEffect)
	case !(o.Confidence > 0 && o.Confidence < 1):
		return fmt.Errorf("%w: confidence %v must be in (0, 1)", ErrOption, o.Confidence)
	case o.MinRuns < 0:
		return fmt.Errorf("%w: min-runs %d must be ≥ 0", ErrOption, o.MinRuns)
	case !(o.MinWithinCV >= 0):
		return fmt.Errorf("%w: min-within-cv %v must be ≥ 0", ErrOption, o.MinWithinCV)
	}
	return nil
}

// Runs returns the effective MinRuns.
func (o Options) Runs() int {
	if o.MinRuns > 0 {
		return o.MinRuns
	}
	r := 2
	for abtest.MinUTestP(r, r) >= o.Alpha && r < 1000 {
		r++
	}
	return r
}
