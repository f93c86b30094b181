package gate

import (
	"errors"
	"fmt"
)

// ErrOption reports an invalid Options value.
var ErrOption = errors.New("invalid gate option")

// Options are the gate's thresholds.
type Options struct {
	// Threshold is the smallest relative slowdown of the median that
	// fails the gate, as a fraction: 0.05 is 5%.
	Threshold float64
	// Alpha is the family-wise significance level: a row can be
	// significant only if its Holm-adjusted p-value is below Alpha.
	Alpha float64
	// MinEffect is the smallest |Cohen's d| of a significant row.
	MinEffect float64
	// Confidence is the level of the medians' confidence intervals.
	Confidence float64
}

// DefaultOptions are benchgate's defaults; the package documentation
// justifies MinEffect.
var DefaultOptions = Options{Threshold: 0.05, Alpha: 0.05, MinEffect: 0.5, Confidence: 0.95}

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
	}
	return nil
}
