package metrics

import (
	"fmt"
	"math"
	"slices"

	"github.com/inferbench/inferbench/internal/quantile"
)

// Baseline is one baseline row prepared for comparison. The zero value is
// ready to use; Set reuses its buffers.
type Baseline struct {
	Logits []float32 // the row, as given to Set (not copied)
	Argmax int

	max, lse  float64   // row maximum m; log Σ exp(x_i − m)
	e         []float64 // exp(x_i − m): the probabilities times Σ e
	esum      float64   // Σ e_i
	sqBase    float64   // Σ x_i²
	underflow bool      // some e_i is 0: Compare takes the direct path
}

// Set prepares the row logits: one pass for the maximum, one exp per logit.
func (b *Baseline) Set(logits []float32) error {
	m, arg, err := maxFinite(logits)
	if err != nil {
		return err
	}
	n := len(logits)
	if cap(b.e) < n {
		b.e = make([]float64, n)
	}
	e := b.e[:n]
	var sum, sq float64
	lo := m
	for i, v := range logits {
		x := float64(v)
		ex := expNonPositive(x - m)
		e[i] = ex
		sum += ex
		sq += x * x
		if x < lo {
			lo = x
		}
	}
	under := math.Exp(lo-m) == 0
	b.Logits, b.Argmax, b.e = logits, arg, e
	b.max, b.lse, b.esum, b.sqBase, b.underflow = m, math.Log(sum), sum, sq, under
	return nil
}

// NLL is −log P(target).
func (b *Baseline) NLL(target int) float64 { return b.lse - (float64(b.Logits[target]) - b.max) }

// Row is the comparison of a candidate's row with the baseline's at one
// position.
type Row struct {
	KL          float64 // KL(P‖Q) in nats; rounding below zero is clamped to 0
	Agree       bool    // argmax P == argmax Q
	MaxAbsDelta float64 // max_i |q_i − p_i| over raw logits
	SqDiff      float64 // Σ (q_i − p_i)² over raw logits
	SqBase      float64 // Σ p_i² over raw logits
	NLL         float64 // −log Q(target)
}

// maxShift bounds the centred logit differences Compare exponentiates:
// exp(700) is finite in float64.
const maxShift = 700

// Compare compares the candidate row q with the baseline row and scores
// target under Q, in one pass over the row.
//
// It needs no exp of its own for candidates close to the baseline. With
// P's probabilities p_i, the logit differences δ_i = x_i − y_i, their
// P-mean μ = Σ p_i δ_i, any centre c (Compare takes δ at P's argmax),
// u_i = δ_i − c, a = μ − c and g(u) = e^−u − 1 + u ≥ 0:
//
//	Σ p_i exp(−δ_i) = e^−c (1 + H − a), H = Σ p_i g(u_i)
//	KL(P‖Q) = μ + log Σ p_i exp(−δ_i) = a + log1p(H − a)
//	log Σ exp(y_i) = log Σ exp(x_i) − μ + KL
//
// Every term of H is non-negative and a is of the size of the differences
// themselves, so KL keeps its precision (absolute error about 1e-16·|a|)
// however small it is, where the difference of two log-sums of order 10
// would leave 1e-15. g is a short polynomial for |u| < 1/8, math.Exp
// beyond. Where exp(−u) could overflow, or the baseline has probabilities
// that underflow to 0, Compare computes Q's log-softmax directly instead.
func (b *Baseline) Compare(q []float32, target int) (Row, error) {
	if len(q) != len(b.Logits) {
		return Row{}, fmt.Errorf("metrics: candidate row holds %d logits, baseline %d", len(q), len(b.Logits))
	}
	if target < 0 || target >= len(q) {
		return Row{}, fmt.Errorf("metrics: target %d outside vocabulary [0, %d)", target, len(q))
	}
	x, e := b.Logits[:len(q)], b.e[:len(q)]
	c := float64(x[b.Argmax]) - float64(q[b.Argmax])
	r := Row{SqBase: b.sqBase}
	my, arg := math.Inf(-1), 0
	var mu, h, maxAbs, sq float64
	for i, v := range q {
		y := float64(v)
		if y-y != 0 { // NaN or ±Inf
			_, _, err := maxFinite(q)
			return Row{}, err
		}
		if y > my {
			my, arg = y, i
		}
		d := float64(x[i]) - y
		if a := math.Abs(d); a > maxAbs { // not max(): it branches on NaN and ±0
			maxAbs = a
		}
		sq += d * d
		mu += e[i] * d
		h += e[i] * expDefect(d-c)
	}
	r.MaxAbsDelta, r.SqDiff, r.Agree = maxAbs, sq, arg == b.Argmax
	// |u_i| = |δ_i − c| ≤ 2 max|δ|.
	if b.underflow || 2*maxAbs > maxShift {
		return b.compareDirect(q, target, r, my)
	}
	mu /= b.esum
	a := mu - c
	r.KL = max(a+math.Log1p(h/b.esum-a), 0)
	r.NLL = (b.max + b.lse - mu + r.KL) - float64(q[target])
	return r, nil
}

// compareDirect computes KL and the NLL from Q's own log-softmax, for rows
// whose differences are too large for Compare's expansion.
func (b *Baseline) compareDirect(q []float32, target int, r Row, my float64) (Row, error) {
	lse := logSumExp(q, my)
	r.NLL = lse - (float64(q[target]) - my)
	var kl float64
	for i, v := range q {
		p := b.e[i] / b.esum
		if p == 0 {
			continue
		}
		logP := (float64(b.Logits[i]) - b.max) - b.lse
		kl += p * (logP - ((float64(v) - my) - lse))
	}
	r.KL = max(kl, 0)
	return r, nil
}

// expDefect is g(u) = e^−u − 1 + u ≥ 0, to near full relative precision:
// its Taylor series through u⁹ for |u| < 1/8 (truncation below 4e-14
// relative), math.Exp beyond (where the cancellation costs at most 3e-14
// relative).
func expDefect(u float64) float64 {
	if -1.0/8 < u && u < 1.0/8 {
		return u * u * (0.5 + u*(c3+u*(c4+u*(c5+u*(c6+u*(c7+u*(c8+u*c9)))))))
	}
	return expDefectFar(u)
}

// expDefectFar is expDefect's exp branch, apart so that expDefect inlines.
func expDefectFar(u float64) float64 { return math.Exp(-u) - 1 + u }

// Taylor coefficients of expDefect.
const (
	c3 = -1.0 / 6
	c4 = 1.0 / 24
	c5 = -1.0 / 120
	c6 = 1.0 / 720
	c7 = -1.0 / 5040
	c8 = 1.0 / 40320
	c9 = -1.0 / 362880
)

// MinPositions is the number of compared positions below which the p99 KL
// rests on fewer than ten positions and is reported with a warning.
const MinPositions = 1000

// Divergence accumulates compared rows in order.
type Divergence struct {
	kl             []float64
	agree          int
	maxAbs         float64
	sqDiff, sqBase float64
}

// Add accumulates one position.
func (d *Divergence) Add(r Row) {
	d.kl = append(d.kl, r.KL)
	if r.Agree {
		d.agree++
	}
	d.maxAbs = max(d.maxAbs, r.MaxAbsDelta)
	d.sqDiff += r.SqDiff
	d.sqBase += r.SqBase
}

// Summary is what the gates judge and the reports print.
type Summary struct {
	Positions   int     `json:"positions"`
	KLMean      float64 `json:"kl_mean"`
	KLP99       float64 `json:"kl_p99"`
	KLMax       float64 `json:"kl_max"`
	Top1        float64 `json:"top1_agreement"`
	MaxAbsDelta float64 `json:"max_abs_delta_logit"`
	RelL2       float64 `json:"rel_l2_logits"`
}

// Summary summarises the accumulated positions. With none, every field is
// zero.
func (d *Divergence) Summary() Summary {
	n := len(d.kl)
	if n == 0 {
		return Summary{}
	}
	var sum float64
	for _, v := range d.kl {
		sum += v
	}
	sorted := slices.Clone(d.kl)
	slices.Sort(sorted)
	s := Summary{
		Positions:   n,
		KLMean:      sum / float64(n),
		KLP99:       klP99(sorted),
		KLMax:       sorted[n-1],
		Top1:        float64(d.agree) / float64(n),
		MaxAbsDelta: d.maxAbs,
	}
	if d.sqBase > 0 {
		s.RelL2 = math.Sqrt(d.sqDiff / d.sqBase)
	}
	return s
}

// Warnings reports weak statistics.
func (s Summary) Warnings() []error {
	if s.Positions < MinPositions {
		return []error{fmt.Errorf("divergence over %d positions (< %d): p99 KL rests on fewer than 10 positions: %w", s.Positions, MinPositions, ErrWeak)}
	}
	return nil
}

// klP99 is the nearest-rank 99th percentile of the sorted per-position KL
// divergences (NaN when there are none).
func klP99(sorted []float64) float64 {
	v, ok := quantile.NearestRank(sorted, 0.99)
	if !ok {
		return math.NaN()
	}
	return v
}
