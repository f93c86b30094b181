package metrics

import (
	"fmt"
	"math"
	"slices"

	"github.com/inferbench/inferbench/internal/quantile"
)

// Baseline is one baseline row prepared for comparison: its float64
// log-probabilities and probabilities. The zero value is ready to use; Set
// reuses its buffers.
type Baseline struct {
	Logits []float32 // the row, as given to Set (not copied)
	LogP   []float64
	P      []float64
	Argmax int
}

// Set prepares the row logits.
func (b *Baseline) Set(logits []float32) error {
	n := len(logits)
	if cap(b.LogP) < n {
		b.LogP, b.P = make([]float64, n), make([]float64, n)
	}
	b.LogP, b.P = b.LogP[:n], b.P[:n]
	m, arg, err := maxFinite(logits)
	if err != nil {
		return err
	}
	// One exp per logit: P holds exp(x - m) until the sum is known.
	var sum float64
	for i, v := range logits {
		e := math.Exp(float64(v) - m)
		b.P[i] = e
		sum += e
	}
	lse, inv := math.Log(sum), 1/sum
	for i, v := range logits {
		b.LogP[i] = (float64(v) - m) - lse
		b.P[i] *= inv
	}
	b.Logits, b.Argmax = logits, arg
	return nil
}

// NLL is −log P(target).
func (b *Baseline) NLL(target int) float64 { return -b.LogP[target] }

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

// Compare compares the candidate row q with the baseline row and scores
// target under Q.
func (b *Baseline) Compare(q []float32, target int) (Row, error) {
	if len(q) != len(b.Logits) {
		return Row{}, fmt.Errorf("metrics: candidate row holds %d logits, baseline %d", len(q), len(b.Logits))
	}
	if target < 0 || target >= len(q) {
		return Row{}, fmt.Errorf("metrics: target %d outside vocabulary [0, %d)", target, len(q))
	}
	m, arg, err := maxFinite(q)
	if err != nil {
		return Row{}, err
	}
	lse := logSumExp(q, m)
	r := Row{Agree: arg == b.Argmax, NLL: lse - (float64(q[target]) - m)}
	for i, v := range q {
		qv, pv := float64(v), float64(b.Logits[i])
		r.KL += b.P[i] * (b.LogP[i] - ((qv - m) - lse))
		d := qv - pv
		r.MaxAbsDelta = max(r.MaxAbsDelta, math.Abs(d))
		r.SqDiff += d * d
		r.SqBase += pv * pv
	}
	r.KL = max(r.KL, 0)
	return r, nil
}

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
