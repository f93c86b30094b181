package metrics

import (
	"errors"
	"fmt"
	"math"
)

// ErrNotFinite reports a NaN or infinite logit.
var ErrNotFinite = errors.New("logit not finite")

// maxFinite returns the maximum of logits and its index, or an error naming
// the first NaN or infinity.
func maxFinite(logits []float32) (float64, int, error) {
	if len(logits) == 0 {
		return 0, 0, fmt.Errorf("metrics: empty logits row: %w", ErrNotFinite)
	}
	m, arg := math.Inf(-1), 0
	for i, v := range logits {
		x := float64(v)
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return 0, 0, fmt.Errorf("metrics: logit %d is %v: %w", i, v, ErrNotFinite)
		}
		if x > m {
			m, arg = x, i
		}
	}
	return m, arg, nil
}

// logSumExp returns log Σ exp(logits - m) in float64, for the row maximum m.
func logSumExp(logits []float32, m float64) float64 {
	var s float64
	for _, v := range logits {
		s += math.Exp(float64(v) - m)
	}
	return math.Log(s)
}

// LogSoftmax writes the log-probabilities of logits into dst, which must be
// as long, computing in float64 after subtracting the maximum.
func LogSoftmax(dst []float64, logits []float32) error {
	if len(dst) != len(logits) {
		return fmt.Errorf("metrics: LogSoftmax: dst holds %d values for %d logits", len(dst), len(logits))
	}
	m, _, err := maxFinite(logits)
	if err != nil {
		return err
	}
	lse := logSumExp(logits, m)
	for i, v := range logits {
		dst[i] = (float64(v) - m) - lse
	}
	return nil
}

// NLL returns −log softmax(logits)[target], the negative log-likelihood in
// nats of target under the distribution the logits define.
func NLL(logits []float32, target int) (float64, error) {
	if target < 0 || target >= len(logits) {
		return 0, fmt.Errorf("metrics: target %d outside vocabulary [0, %d)", target, len(logits))
	}
	m, _, err := maxFinite(logits)
	if err != nil {
		return 0, err
	}
	// Subtracting m before adding the log-sum keeps large logits exact.
	return logSumExp(logits, m) - (float64(logits[target]) - m), nil
}
