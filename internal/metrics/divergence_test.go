package metrics

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

func TestCompareIdentical(t *testing.T) {
	row := []float32{3, -1, 0.5, 2}
	var b Baseline
	must(t, b.Set(row))
	r, err := b.Compare(row, 2)
	must(t, err)
	if r.MaxAbsDelta != 0 || r.SqDiff != 0 || !r.Agree {
		t.Errorf("identical rows: %+v", r)
	}
	near(t, "KL", r.KL, 0, 1e-15)
	near(t, "NLL", r.NLL, b.NLL(2), 1e-15)
}

// TestCompareByHand: P = [½, ½] (logits 0 0), Q = [¼, ¾] (logits 0, ln 3):
// KL(P‖Q) = ½ ln(½/¼) + ½ ln(½/¾) = ½ ln(4/3); −log Q(0) = ln 4.
func TestCompareByHand(t *testing.T) {
	var b Baseline
	must(t, b.Set([]float32{0, 0}))
	r, err := b.Compare([]float32{0, float32(math.Log(3))}, 0)
	must(t, err)
	near(t, "KL", r.KL, 0.5*math.Log(4.0/3), 1e-7)
	near(t, "NLL", r.NLL, math.Log(4), 1e-7)
	near(t, "MaxAbsDelta", r.MaxAbsDelta, math.Log(3), 1e-7)
	near(t, "SqBase", r.SqBase, 0, 0)
	if r.Agree { // argmax P is 0 (first of a tie), argmax Q is 1
		t.Error("top-1 agreement on different argmaxes")
	}
}

// TestCompareShiftInvariant: adding a constant to every logit changes no
// probability (KL 0, same top-1) but is a logit difference.
func TestCompareShiftInvariant(t *testing.T) {
	var b Baseline
	must(t, b.Set([]float32{1, 2, 3}))
	r, err := b.Compare([]float32{6, 7, 8}, 1)
	must(t, err)
	near(t, "KL", r.KL, 0, 1e-12)
	if !r.Agree {
		t.Error("shifted row: top-1 disagrees")
	}
	near(t, "MaxAbsDelta", r.MaxAbsDelta, 5, 1e-12)
	near(t, "SqDiff", r.SqDiff, 75, 1e-9)
	near(t, "SqBase", r.SqBase, 14, 1e-9)
}

func TestCompareErrors(t *testing.T) {
	var b Baseline
	must(t, b.Set([]float32{1, 2, 3}))
	if _, err := b.Compare([]float32{1, 2}, 0); err == nil {
		t.Error("short row: no error")
	}
	if _, err := b.Compare([]float32{1, 2, 3}, 3); err == nil {
		t.Error("target outside the vocabulary: no error")
	}
	_, err := b.Compare([]float32{1, float32(math.NaN()), 3}, 0)
	is(t, err, ErrNotFinite, "NaN candidate")
	is(t, b.Set([]float32{float32(math.Inf(-1))}), ErrNotFinite, "-Inf baseline")
}

func TestDivergenceSummary(t *testing.T) {
	var d Divergence
	if s := d.Summary(); s != (Summary{}) {
		t.Errorf("empty summary %+v", s)
	}
	// 100 positions with KL 0.01·i, i = 1…100, of which 90 agree.
	for i := 1; i <= 100; i++ {
		d.Add(Row{KL: 0.01 * float64(i), Agree: i > 10, MaxAbsDelta: float64(i % 7), SqDiff: 1, SqBase: 4})
	}
	s := d.Summary()
	if s.Positions != 100 {
		t.Errorf("Positions = %d", s.Positions)
	}
	near(t, "KLMean", s.KLMean, 0.505, 1e-12)
	near(t, "KLP99", s.KLP99, 0.99, 1e-12)
	near(t, "KLMax", s.KLMax, 1, 1e-12)
	near(t, "Top1", s.Top1, 0.9, 1e-12)
	near(t, "MaxAbsDelta", s.MaxAbsDelta, 6, 0)
	near(t, "RelL2", s.RelL2, 0.5, 1e-12)
	w := s.Warnings()
	if len(w) != 1 {
		t.Fatalf("100 positions: warnings %v, want one", w)
	}
	is(t, w[0], ErrWeak, "100 positions")
}

// naiveCompare is Compare written out in float64 from both rows'
// log-softmax: the definition the fast path must reproduce.
func naiveCompare(p, q []float32, target int) Row {
	lp, lq := make([]float64, len(p)), make([]float64, len(q))
	if err := LogSoftmax(lp, p); err != nil {
		panic(err)
	}
	if err := LogSoftmax(lq, q); err != nil {
		panic(err)
	}
	r := Row{NLL: -lq[target]}
	var ap, aq int
	for i := range p {
		r.KL += math.Exp(lp[i]) * (lp[i] - lq[i])
		d := float64(q[i]) - float64(p[i])
		r.MaxAbsDelta = max(r.MaxAbsDelta, math.Abs(d))
		r.SqDiff += d * d
		r.SqBase += float64(p[i]) * float64(p[i])
		if p[i] > p[ap] {
			ap = i
		}
		if q[i] > q[aq] {
			aq = i
		}
	}
	r.Agree = ap == aq
	return r
}

// TestCompareMatchesDefinition checks Compare against the log-softmax
// definition over candidates from float32 rounding noise to unrelated rows,
// and rows whose probabilities underflow: KL to 1e-9 relative where the
// definition itself is exact enough, NLL to 1e-12.
func TestCompareMatchesDefinition(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const vocab = 5000
	for _, scale := range []float64{0, 1e-6, 1e-4, 1e-2, 0.1, 1, 10, 100, 1e4} {
		for _, spread := range []float64{1, 4, 200} { // 200: exp(x − max) underflows
			p, q := make([]float32, vocab), make([]float32, vocab)
			for i := range p {
				p[i] = float32(spread * rng.NormFloat64())
				q[i] = p[i] + float32(scale*rng.NormFloat64())
			}
			target := rng.IntN(vocab)
			var b Baseline
			must(t, b.Set(p))
			got, err := b.Compare(q, target)
			must(t, err)
			want := naiveCompare(p, q, target)
			what := fmt.Sprintf("noise %g, spread %g", scale, spread)
			near(t, what+": NLL", got.NLL, want.NLL, 1e-12*max(1, math.Abs(want.NLL)))
			near(t, what+": base NLL", b.NLL(target), naiveCompare(p, p, target).NLL, 1e-12*max(1, math.Abs(want.NLL)))
			// The definition subtracts log-probabilities of order 10: its
			// own error is about 1e-14 nats.
			near(t, what+": KL", got.KL, want.KL, max(1e-9*want.KL, 1e-14))
			if got.Agree != want.Agree || got.MaxAbsDelta != want.MaxAbsDelta {
				t.Errorf("%s: agree %v max|Δ| %v, want %v %v", what, got.Agree, got.MaxAbsDelta, want.Agree, want.MaxAbsDelta)
			}
			near(t, what+": SqDiff", got.SqDiff, want.SqDiff, 1e-12*want.SqDiff)
			near(t, what+": SqBase", got.SqBase, want.SqBase, 1e-12*want.SqBase)
		}
	}
}

// TestCompareTinyKL: for a candidate differing by float32 rounding, the
// centred sum keeps KL's relative precision where the definition's
// difference of log-sums cannot: KL ≈ ½ Var_P(δ) to 1e-6 relative.
func TestCompareTinyKL(t *testing.T) {
	p := make([]float32, 1000)
	q := make([]float32, 1000)
	for i := range p {
		p[i] = float32(i%37) / 4
		q[i] = p[i] + float32(1e-6*float64(i%5-2))
	}
	var b Baseline
	must(t, b.Set(p))
	r, err := b.Compare(q, 0)
	must(t, err)
	// Second order: KL = ½ Σ p_i (δ_i − μ)² + O(δ³).
	var mu, v float64
	for i := range p {
		mu += b.e[i] / b.esum * (float64(p[i]) - float64(q[i]))
	}
	for i := range p {
		d := float64(p[i]) - float64(q[i]) - mu
		v += b.e[i] / b.esum * d * d
	}
	near(t, "KL", r.KL, v/2, 1e-6*v/2)
}

// BenchmarkCompare is one scored position of a GPT-2-sized vocabulary with
// a baseline and two candidates (the default accuracy pass: ort-cpu against
// its fp16 and int8 variants).
func BenchmarkCompare(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	const vocab = 50257
	p := make([]float32, vocab)
	q := [2][]float32{make([]float32, vocab), make([]float32, vocab)}
	for i := range p {
		p[i] = float32(3 * rng.NormFloat64())
		q[0][i] = p[i] + float32(1e-3*rng.NormFloat64())
		q[1][i] = p[i] + float32(3e-2*rng.NormFloat64())
	}
	var base Baseline
	b.ReportAllocs()
	for range b.N {
		if err := base.Set(p); err != nil {
			b.Fatal(err)
		}
		for _, c := range q {
			if _, err := base.Compare(c, 7); err != nil {
				b.Fatal(err)
			}
		}
	}
}
