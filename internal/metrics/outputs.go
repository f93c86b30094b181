package metrics

import (
	"fmt"
	"math"
)

// Top1Alpha is the false-alarm rate of OutputBounds' top-1 check: the
// chance that a backend flipping exactly the floor's share of positions
// (1 − Top1Min) shows as many flips as were seen.
const Top1Alpha = 1e-3

// Violation is one bound an output check broke: Slug names it in a
// metric unit ("kl", "top1", "rel-l2"), Text says by how much.
type Violation struct {
	Slug, Text string
}

func (v Violation) String() string { return v.Text }

// OutputBounds judges a few timed outputs of a candidate (Summary s of
// their positions against a baseline's logits for the same inputs) by the
// gates' bounds th and the conformance bound relL2 (RelL2Bound). Unlike a
// gate over a corpus it has tens of positions, not thousands, so the
// top-1 floor is judged as a test: it fails when the disagreements are
// more than a backend flipping 1 − Top1Min of its positions would show
// with probability Top1Alpha (with 8 positions at the fp32 floor, two
// flips fail; a stale or misplaced output flips most). The KL bounds
// (mean and p99, which over fewer than 100 positions is the maximum) and
// the relative L2 bound are judged as they stand: rounding stays an order
// below them at every position. A zero relL2 skips the L2 check. NaN
// fails every bound.
func OutputBounds(s Summary, th Thresholds, relL2 float64) []Violation {
	var out []Violation
	if s.Positions == 0 {
		return []Violation{{Slug: "empty", Text: "no positions compared"}}
	}
	if !(s.KLMean <= th.KLMean) {
		out = append(out, Violation{Slug: "kl", Text: fmt.Sprintf("mean KL %.3g nats exceeds %.3g", s.KLMean, th.KLMean)})
	}
	if !(s.KLP99 <= th.KLP99) {
		out = append(out, Violation{Slug: "kl", Text: fmt.Sprintf("p99 KL %.3g nats exceeds %.3g", s.KLP99, th.KLP99)})
	}
	if flips := Flips(s); !(Top1Tail(s.Positions, flips, th.Top1Min) >= Top1Alpha) {
		out = append(out, Violation{Slug: "top1", Text: fmt.Sprintf("top-1 agreement %.1f%% (%d of %d positions flipped): more than a %.3g%% floor allows (p < %g)",
			100*s.Top1, flips, s.Positions, 100*th.Top1Min, Top1Alpha)})
	}
	if relL2 > 0 && !(s.RelL2 <= relL2) {
		out = append(out, Violation{Slug: "rel-l2", Text: fmt.Sprintf("relative L2 %.3g exceeds %.3g", s.RelL2, relL2)})
	}
	return out
}

// Flips is the number of positions of s whose top-1 tokens disagree.
func Flips(s Summary) int {
	return s.Positions - int(s.Top1*float64(s.Positions)+0.5)
}

// Top1Tail is P(X ≥ flips) for X ~ Binomial(positions, 1 − floor): how
// likely a backend at the top-1 floor flips at least that many positions.
// It sums the probability mass function in log space (positions are
// tens to thousands), with no dependency a user's module must carry.
func Top1Tail(positions, flips int, floor float64) float64 {
	if flips <= 0 {
		return 1
	}
	p := 1 - floor
	if p <= 0 || flips > positions {
		return 0
	}
	if p >= 1 {
		return 1
	}
	n := float64(positions)
	lgN, _ := math.Lgamma(n + 1)
	var sum float64
	for j := flips; j <= positions; j++ {
		k := float64(j)
		lgK, _ := math.Lgamma(k + 1)
		lgR, _ := math.Lgamma(n - k + 1)
		sum += math.Exp(lgN - lgK - lgR + k*math.Log(p) + (n-k)*math.Log1p(-p))
	}
	return min(sum, 1)
}

// RMS is the root mean square of a row of logits: the scale against which
// a logit margin or error is judged.
func RMS(row []float32) float64 {
	var sq float64
	for _, x := range row {
		sq += float64(x) * float64(x)
	}
	return math.Sqrt(sq / float64(len(row)))
}
