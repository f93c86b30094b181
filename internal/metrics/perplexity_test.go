package metrics

import (
	"math"
	"testing"
)

// TestPerplexityByHand scores a 3-token vocabulary whose logits are always
// [0, 0, ln 2]: the distribution is [1/4, 1/4, 1/2]. Over the tokens
// 2 0 2 1 the targets are 0, 2, 1 (position 0 is never scored), so the
// NLL is ln 4 + ln 2 + ln 4 = 5 ln 2, the mean 5/3 ln 2 and the perplexity
// 2^(5/3) = 3.1748….
func TestPerplexityByHand(t *testing.T) {
	row := []float32{0, 0, float32(math.Ln2)}
	tokens := []int{2, 0, 2, 1}
	var p Perplexity
	for _, target := range tokens[1:] {
		nll, err := NLL(row, target)
		must(t, err)
		p.Add(nll)
	}
	if p.Tokens != 3 {
		t.Errorf("Tokens = %d, want 3", p.Tokens)
	}
	near(t, "SumNLL", p.SumNLL, 5*math.Ln2, 1e-7)
	near(t, "MeanNLL", p.MeanNLL(), 5.0/3*math.Ln2, 1e-7)
	near(t, "PPL", p.PPL(), 3.1748021039363987, 1e-6)
}

func TestNLL(t *testing.T) {
	tests := []struct {
		name   string
		logits []float32
		target int
		want   float64
	}{
		{"uniform 4", []float32{1, 1, 1, 1}, 2, math.Log(4)},
		{"certain", []float32{0, 200, 0}, 1, 2 * math.Exp(-200)},
		// exp of these overflows float32 and float64; max-subtraction
		// keeps the result finite.
		{"huge logits", []float32{1e30, 1e30}, 0, math.Ln2},
		{"very negative", []float32{-1e30, -1e30, -1e30}, 0, math.Log(3)},
		{"two classes", []float32{0, float32(math.Log(3))}, 0, math.Log(4)},
	}
	for _, tt := range tests {
		got, err := NLL(tt.logits, tt.target)
		must(t, err)
		near(t, tt.name, got, tt.want, 1e-6)
	}
}

func TestNLLErrors(t *testing.T) {
	_, err := NLL([]float32{0, float32(math.NaN())}, 0)
	is(t, err, ErrNotFinite, "NaN")
	_, err = NLL([]float32{0, float32(math.Inf(1))}, 0)
	is(t, err, ErrNotFinite, "+Inf")
	if _, err = NLL([]float32{0, 1}, 2); err == nil {
		t.Error("target outside the vocabulary: no error")
	}
	if _, err = NLL(nil, 0); err == nil {
		t.Error("empty row: no error")
	}
}

func TestLogSoftmax(t *testing.T) {
	logits := []float32{1, 2, 3, -4}
	dst := make([]float64, len(logits))
	must(t, LogSoftmax(dst, logits))
	var sum float64
	for i, lp := range dst {
		sum += math.Exp(lp)
		nll, err := NLL(logits, i)
		must(t, err)
		near(t, "log p vs −NLL", lp, -nll, 1e-12)
	}
	near(t, "Σ p", sum, 1, 1e-12)
	if err := LogSoftmax(dst[:2], logits); err == nil {
		t.Error("short dst: no error")
	}
}

func TestPerplexityWarnings(t *testing.T) {
	w := Perplexity{SumNLL: 10, Tokens: 10}.Warnings()
	if len(w) != 1 {
		t.Fatalf("10 tokens: warnings %v, want one", w)
	}
	is(t, w[0], ErrWeak, "10 tokens")
	if w := (Perplexity{SumNLL: 1000, Tokens: MinTokens}).Warnings(); len(w) != 0 {
		t.Errorf("%d tokens: warnings %v", MinTokens, w)
	}
	if !math.IsNaN(Perplexity{}.MeanNLL()) {
		t.Error("MeanNLL of nothing is not NaN")
	}
}

func TestRelDelta(t *testing.T) {
	near(t, "RelDelta(100, 101)", RelDelta(100, 101), 0.01, 1e-12)
	near(t, "RelDelta(2, 1)", RelDelta(2, 1), -0.5, 1e-12)
}

// TestExpNonPositive: within 1e-15 relative of math.Exp over the whole
// range softmax uses, table boundaries and the math.Exp hand-over included.
func TestExpNonPositive(t *testing.T) {
	xs := []float64{0, -0.0, -1e-300, -1e-17, -math.Ln2 / 128, -math.Ln2 / 64, -0.5, -1, -math.Ln2, -10, -87.3, -103.9, -700, -707.99, -708, -708.01, -745, -746}
	for i := range 200000 {
		xs = append(xs, -float64(i)*708.0/200000-1e-3*float64(i%7))
	}
	for _, x := range xs {
		got, want := expNonPositive(x), math.Exp(x)
		if math.Abs(got-want) > 1e-15*want || (want == 0) != (got == 0) {
			t.Fatalf("expNonPositive(%v) = %v, math.Exp %v", x, got, want)
		}
	}
}
