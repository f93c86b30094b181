package reference

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/lm/gpt2"
)

// handConfig is small enough to compute by hand: one head of width 2, so
// every LayerNorm maps v to ±[r, -r] with r = u/√(u²+ε), u = (v₀-v₁)/2;
// ε = 1 keeps r well away from ±1.
var handConfig = gpt2.Config{NLayer: 1, NHead: 1, NEmbd: 2, NPositions: 4, VocabSize: 3, LayerNormEpsilon: 1}

// handWeights make q = k = v = ln_1(x) and the attention projection the
// identity; the MLP contributes nothing, ln_1 has bias [0.3, 0.1] and the
// other LayerNorms are plain.
func handWeights() *gpt2.Weights {
	w := gpt2.NewWeights(handConfig)
	copy(w.WTE.Data, []float32{1, 0, 0, 2, 1, 1})
	copy(w.WPE.Data, []float32{0.5, 0, 0, 0.5})
	b := &w.Blocks[0]
	copy(b.AttnW.Data, []float32{1, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 1}) // [I I I]
	copy(b.AttnPW.Data, []float32{1, 0, 0, 1})
	copy(b.LN1B.Data, []float32{0.3, 0.1})
	for _, t := range []gpt2.Tensor{b.LN1W, b.LN2W, w.LNFW} {
		t.Data[0], t.Data[1] = 1, 1
	}
	return w
}

func TestHandComputed(t *testing.T) {
	const eps = 1 // large, so LayerNorm does not saturate
	ln := func(v [2]float64, bias ...float64) [2]float64 {
		u := (v[0] - v[1]) / 2
		r := u / math.Sqrt(u*u+eps)
		if bias != nil {
			return [2]float64{r + bias[0], -r + bias[1]}
		}
		return [2]float64{r, -r}
	}
	dot := func(a, b [2]float64) float64 { return a[0]*b[0] + a[1]*b[1] }
	wte := [3][2]float64{{1, 0}, {0, 2}, {1, 1}}
	e0 := [2]float64{1.5, 0}                     // wte[0] + wpe[0]
	e1 := [2]float64{0, 2.5}                     // wte[1] + wpe[1]
	a0, a1 := ln(e0, 0.3, 0.1), ln(e1, 0.3, 0.1) // q = k = v
	s := 1 / math.Sqrt(2)
	// Softmax of query 1 over keys 0 and 1.
	p0 := 1 / (1 + math.Exp(dot(a1, a1)*s-dot(a1, a0)*s))
	mix := func(p float64) [2]float64 { return [2]float64{p*a0[0] + (1-p)*a1[0], p*a0[1] + (1-p)*a1[1]} }
	add := func(a, b [2]float64) [2]float64 { return [2]float64{a[0] + b[0], a[1] + b[1]} }
	logits := func(x ...[2]float64) []float64 {
		var out []float64
		for _, v := range x {
			h := ln(v)
			for _, e := range wte {
				out = append(out, dot(h, e))
			}
		}
		return out
	}
	tests := []struct {
		name string
		mask []int64
		want []float64
	}{
		{"no mask", nil, logits(add(e0, a0), add(e1, mix(p0)))},
		{"key 1 padded", []int64{1, 0}, logits(add(e0, a0), add(e1, a0))},
		// Query 0 sees only the padded key 0: its scores are all masked
		// and it attends uniformly to both positions.
		{"key 0 padded", []int64{0, 1}, logits(add(e0, mix(0.5)), add(e1, a1))},
	}
	w := handWeights()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := make([]float32, 2*3)
			if err := Forward(handConfig, w, []int64{0, 1}, tt.mask, 1, 2, got); err != nil {
				t.Fatal(err)
			}
			for i := range got {
				if math.Abs(float64(got[i])-tt.want[i]) > 1e-6 {
					t.Errorf("logits[%d] = %.7g, want %.7g", i, got[i], tt.want[i])
				}
			}
		})
	}
}

var smallConfig = gpt2.Config{NLayer: 2, NHead: 2, NEmbd: 8, NPositions: 16, VocabSize: 11, LayerNormEpsilon: 1e-5}

// perturbed returns seeded weights with every tensor, LayerNorm and biases
// included, made non-trivial.
func perturbed(c gpt2.Config, seed uint64) *gpt2.Weights {
	w := gpt2.Seeded(c, seed)
	r := rand.New(rand.NewPCG(seed, 1))
	for _, nt := range w.Tensors() {
		for i := range nt.T.Data {
			nt.T.Data[i] += float32(0.3 * r.NormFloat64())
		}
	}
	return w
}

func randomTokens(r *rand.Rand, n, vocab int) []int64 {
	t := make([]int64, n)
	for i := range t {
		t[i] = r.Int64N(int64(vocab))
	}
	return t
}

func TestAgainstNaive(t *testing.T) {
	w := perturbed(smallConfig, 7)
	r := rand.New(rand.NewPCG(3, 4))
	tests := []struct {
		name       string
		batch, seq int
		mask       func(b, s int) int64
	}{
		{"1x1", 1, 1, nil},
		{"1x16", 1, 16, nil},
		{"3x5", 3, 5, nil},
		{"left padding", 3, 6, func(b, s int) int64 { return b2i(s >= b) }},
		{"right padding", 2, 7, func(b, s int) int64 { return b2i(s < 7-2*b) }},
		{"holes", 2, 9, func(b, s int) int64 { return b2i((s+b)%3 != 1) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tokens := randomTokens(r, tt.batch*tt.seq, smallConfig.VocabSize)
			var mask []int64
			if tt.mask != nil {
				mask = make([]int64, len(tokens))
				for i := range mask {
					mask[i] = tt.mask(i/tt.seq, i%tt.seq)
				}
			}
			got := make([]float32, len(tokens)*smallConfig.VocabSize)
			if err := Forward(smallConfig, w, tokens, mask, tt.batch, tt.seq, got); err != nil {
				t.Fatal(err)
			}
			want := naiveForward(smallConfig, w, tokens, mask, tt.batch, tt.seq)
			for i := range got {
				if d := math.Abs(float64(got[i]) - want[i]); d > 1e-6*math.Max(1, math.Abs(want[i])) {
					t.Fatalf("logits[%d] = %.8g, naive %.8g", i, got[i], want[i])
				}
			}
		})
	}
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

func TestCausal(t *testing.T) {
	w := perturbed(smallConfig, 8)
	const batch, seq, v = 2, 10, 11
	tokens := randomTokens(rand.New(rand.NewPCG(5, 6)), batch*seq, v)
	base := make([]float32, batch*seq*v)
	if err := Forward(smallConfig, w, tokens, nil, batch, seq, base); err != nil {
		t.Fatal(err)
	}
	for _, pos := range []int{0, 4, seq - 1} {
		changed := append([]int64(nil), tokens...)
		changed[seq+pos] = (changed[seq+pos] + 1) % v // batch row 1
		got := make([]float32, len(base))
		if err := Forward(smallConfig, w, changed, nil, batch, seq, got); err != nil {
			t.Fatal(err)
		}
		for i := range got {
			row, s := i/(seq*v), i/v%seq
			if same := got[i] == base[i]; same != (row == 0 || s < pos) {
				t.Fatalf("changing token %d of row 1: logits[%d] (row %d, position %d) same=%v", pos, i, row, s, same)
			}
		}
	}
}

func TestMask(t *testing.T) {
	w := perturbed(smallConfig, 9)
	const batch, seq, v = 2, 8, 11
	tokens := randomTokens(rand.New(rand.NewPCG(7, 8)), batch*seq, v)
	run := func(tokens, mask []int64) []float32 {
		out := make([]float32, batch*seq*v)
		if err := Forward(smallConfig, w, tokens, mask, batch, seq, out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	ones := make([]int64, batch*seq)
	for i := range ones {
		ones[i] = 1
	}
	nilMask, onesMask := run(tokens, nil), run(tokens, ones)
	for i := range nilMask {
		if nilMask[i] != onesMask[i] {
			t.Fatalf("all-ones mask differs from nil mask at %d: %g vs %g", i, onesMask[i], nilMask[i])
		}
	}

	// Row 0 left-padded by 3, row 1 has a hole at 5. A padded token's id
	// changes nothing but its own logits, and fully masked rows stay finite.
	mask := append([]int64(nil), ones...)
	for _, i := range []int{0, 1, 2, seq + 5} {
		mask[i] = 0
	}
	base := run(tokens, mask)
	changed := append([]int64(nil), tokens...)
	for _, i := range []int{0, 1, 2, seq + 5} {
		changed[i] = (changed[i] + 3) % v
	}
	got := run(changed, mask)
	for i := range got {
		if math.IsNaN(float64(got[i])) || math.IsInf(float64(got[i]), 0) {
			t.Fatalf("logits[%d] = %g", i, got[i])
		}
		if tok := i / v; mask[tok] == 1 && got[i] != base[i] {
			t.Fatalf("changing padded tokens changed logits[%d] of attended token %d: %g vs %g", i, tok, got[i], base[i])
		}
	}
}

func TestForwardErrors(t *testing.T) {
	c := smallConfig
	w := perturbed(c, 1)
	tokens := make([]int64, 6)
	tests := []struct {
		name       string
		c          gpt2.Config
		w          *gpt2.Weights
		tokens     []int64
		mask       []int64
		batch, seq int
		logits     int
		want       error
	}{
		{"zero batch", c, w, nil, nil, 0, 3, 0, model.ErrBadShape},
		{"tokens", c, w, tokens[:5], nil, 2, 3, 66, model.ErrBadShape},
		{"mask", c, w, tokens, make([]int64, 5), 2, 3, 66, model.ErrBadShape},
		{"logits", c, w, tokens, nil, 2, 3, 65, model.ErrBadShape},
		{"too long", c, w, make([]int64, 17), nil, 1, 17, 17 * 11, model.ErrTooLong},
		{"token", c, w, []int64{0, 11}, nil, 1, 2, 22, model.ErrBadToken},
		{"negative token", c, w, []int64{-1}, nil, 1, 1, 11, model.ErrBadToken},
		{"weights", gpt2.Config{NLayer: 3, NHead: 2, NEmbd: 8, NPositions: 16, VocabSize: 11}, w, tokens, nil, 2, 3, 66, gpt2.ErrWeights},
		{"nil weights", c, nil, tokens, nil, 2, 3, 66, gpt2.ErrWeights},
		{"config", gpt2.Config{}, w, tokens, nil, 2, 3, 66, gpt2.ErrConfig},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Forward(tt.c, tt.w, tt.tokens, tt.mask, tt.batch, tt.seq, make([]float32, tt.logits))
			if !errors.Is(err, tt.want) {
				t.Errorf("Forward = %v, want %v", err, tt.want)
			}
		})
	}
}
