package metrics

import (
	"math"
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
