package sequential

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBayesFactor(t *testing.T) {
	// Rouder et al.'s formula at g = 1, n = 10, t = 3, by hand.
	n, tt, g := 10.0, 3.0, 1.0
	nu := n - 1
	want := math.Pow(1+n*g, -0.5) * math.Pow((1+tt*tt/nu)/(1+tt*tt/(nu*(1+n*g))), n/2)
	assert.InDelta(t, want, BayesFactor(3, 10, 1), 1e-12)
	assert.Equal(t, BayesFactor(3, 10, 1), BayesFactor(-3, 10, 1), "symmetric in t")
	assert.Less(t, BayesFactor(0, 10, 1), 1.0, "no effect: evidence for the null")
	assert.Equal(t, 1.0, BayesFactor(5, 1, 1), "one value carries no evidence")
	assert.InDelta(t, math.Pow(11, 4.5), BayesFactor(math.Inf(1), 10, 1), 1e-6, "the limit t → ∞")
	for n := 3; n < 40; n += 7 {
		c := criticalT(n, DefaultG, 20)
		if math.IsInf(c, 1) {
			assert.Less(t, BayesFactor(math.Inf(1), n, DefaultG), 20.0)
			continue
		}
		assert.InDelta(t, 20, BayesFactor(c, n, DefaultG), 1e-6, "n=%d", n)
	}
}

// The factor is a test martingale: its mean under the null is 1 at every
// n, and the probability that it ever exceeds 1/a is at most a (Ville),
// however long it is watched. Seeded, normal and skewed null noise.
func TestBayesFactorIsAnytimeValid(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	const trials, rounds, a = 2000, 200, 0.05
	for _, skew := range []bool{false, true} {
		crossed := 0
		var mean10 float64
		for range trials {
			var d []float64
			hit := false
			for n := 1; n <= rounds; n++ {
				x := r.NormFloat64()
				if skew { // the difference of two exchangeable lognormals
					x = math.Exp(r.NormFloat64()) - math.Exp(r.NormFloat64())
				}
				d = append(d, x)
				if n < 2 {
					continue
				}
				bf := BayesFactor(tStat(d, 0), n, DefaultG)
				if n == 10 {
					mean10 += bf / trials
				}
				hit = hit || bf >= 1/a
			}
			if hit {
				crossed++
			}
		}
		rate := float64(crossed) / trials
		t.Logf("skewed=%v: ever ≥ 1/α within %d rounds in %.1f%%; mean factor at n=10: %.3f", skew, rounds, 100*rate, mean10)
		assert.LessOrEqual(t, rate, a, "skewed=%v", skew)
		assert.InDelta(t, 1, mean10, 0.25, "skewed=%v", skew)
	}
}

func TestTracker(t *testing.T) {
	_, err := NewTracker(Options{Threshold: 0.05, Alpha: 0.05, MinRounds: 1}, nil)
	require.ErrorIs(t, err, ErrOption)
	_, err = NewTracker(DefaultOptions, []string{"a", "a"})
	require.ErrorIs(t, err, ErrOption)

	tr, err := NewTracker(DefaultOptions, []string{"same", "slow"})
	require.NoError(t, err)
	r := rand.New(rand.NewPCG(5, 6))
	for round := 1; round <= 200 && !tr.Done(); round++ {
		tr.Observe("same", 0.01*r.NormFloat64())
		tr.Observe("slow", math.Log(1.3)+0.01*r.NormFloat64())
		tr.Observe("unknown", 1)
		tr.Update()
	}
	same, slow := tr.Row("same"), tr.Row("slow")
	assert.Equal(t, Regression, slow.Verdict)
	assert.Equal(t, Regression, tr.Outcome(), "one confirmed regression fails the comparison")
	require.NotNil(t, slow.Confirm)
	assert.GreaterOrEqual(t, slow.FirstRounds, DefaultOptions.MinRounds)
	assert.Equal(t, slow.FirstRounds+len(slow.Confirm.D), slow.Rounds)
	assert.InDelta(t, 30, slow.First.Change, 2)
	assert.Less(t, slow.First.Lo, 30.0)
	assert.Greater(t, slow.First.Hi, 30.0)
	// The unchanged row was shown within the threshold, and is frozen.
	assert.Equal(t, Within, same.Verdict)
	n := len(same.First.D)
	tr.Observe("same", 5)
	assert.Len(t, same.First.D, n, "a decided row takes no more rounds")
	assert.Empty(t, same.Why(DefaultOptions))
}

func TestWhyOpen(t *testing.T) {
	tr, err := NewTracker(DefaultOptions, []string{"x"})
	require.NoError(t, err)
	tr.Observe("x", 0.1)
	tr.Update()
	assert.Equal(t, "1 of the 3 rounds needed before a decision", tr.Row("x").Why(DefaultOptions))
	for _, d := range []float64{-0.2, 0.3, -0.1, 0.25} {
		tr.Observe("x", d)
	}
	tr.Update()
	assert.Equal(t, Open, tr.Row("x").Verdict)
	assert.Regexp(t, `^change \+\d+\.\d% \[[-−+][^\]]*\] spans 5%; minimum detectable slowdown ≈ \+\d+\.\d% at this noise$`, tr.Row("x").Why(DefaultOptions))
}

func TestSkipConfirm(t *testing.T) {
	o := DefaultOptions
	o.SkipConfirm = true
	tr, err := NewTracker(o, []string{"slow"})
	require.NoError(t, err)
	for _, e := range []float64{0.01, -0.01, 0.005, -0.005, 0, 0.01, -0.01, 0.002} {
		tr.Observe("slow", math.Log(1.5)+e)
		tr.Update()
		if tr.Done() {
			break
		}
	}
	r := tr.Row("slow")
	assert.Equal(t, Regression, r.Verdict)
	assert.Nil(t, r.Confirm, "no confirm stage")
	assert.Equal(t, r.FirstRounds, r.Rounds)
}
