package metrics

import (
	"math"
	"testing"
)

func TestOutputBounds(t *testing.T) {
	fp32, _ := ThresholdsFor("fp32")
	int8, _ := ThresholdsFor("int8")
	for _, tc := range []struct {
		name  string
		s     Summary
		th    Thresholds
		relL2 float64
		want  []string // slugs
	}{
		{"rounding", Summary{Positions: 8, KLMean: 1e-13, KLP99: 1e-12, Top1: 1, RelL2: 1e-7}, fp32, 1e-5, nil},
		{"one fp32 flip in 8 is a near tie", Summary{Positions: 8, KLMean: 1e-9, KLP99: 1e-8, Top1: 7.0 / 8, RelL2: 1e-7}, fp32, 1e-5, nil},
		{"two fp32 flips in 8", Summary{Positions: 8, KLMean: 1e-9, KLP99: 1e-8, Top1: 6.0 / 8, RelL2: 1e-7}, fp32, 1e-5, []string{"top1"}},
		{"int8: 2 flips in 44", Summary{Positions: 44, KLMean: 1e-3, KLP99: 2e-2, Top1: 42.0 / 44, RelL2: 4e-3}, int8, 0.1, nil},
		{"stale", Summary{Positions: 8, KLMean: 5.1, KLP99: 10.2, Top1: 1.0 / 8, RelL2: 0.44}, fp32, 1e-5, []string{"kl", "kl", "top1", "rel-l2"}},
		{"p99 only", Summary{Positions: 8, KLMean: 5e-7, KLP99: 4e-6 * 10, Top1: 1, RelL2: 1e-6}, fp32, 1e-5, []string{"kl"}},
		{"no L2 bound", Summary{Positions: 8, Top1: 1, RelL2: 3}, fp32, 0, nil},
		{"NaN", Summary{Positions: 8, KLMean: math.NaN(), KLP99: math.NaN(), Top1: 1, RelL2: math.NaN()}, fp32, 1e-5, []string{"kl", "kl", "rel-l2"}},
		{"nothing compared", Summary{}, fp32, 1e-5, []string{"empty"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, v := range OutputBounds(tc.s, tc.th, tc.relL2) {
				got = append(got, v.Slug)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("violations %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("violations %v, want %v", got, tc.want)
				}
			}
		})
	}
}

// Top1Tail is the binomial upper tail: checked against sums of the
// probability mass function.
func TestTop1Tail(t *testing.T) {
	for _, tc := range []struct {
		n, k  int
		floor float64
	}{{8, 1, 0.999}, {8, 2, 0.999}, {44, 3, 0.95}, {100, 0, 0.99}, {8, 8, 0.5}} {
		p := 1 - tc.floor
		var want float64
		for j := tc.k; j <= tc.n; j++ {
			want += float64(binom(tc.n, j)) * math.Pow(p, float64(j)) * math.Pow(1-p, float64(tc.n-j))
		}
		if got := Top1Tail(tc.n, tc.k, tc.floor); math.Abs(got-want) > 1e-12*math.Max(1, want) && math.Abs(got-want)/want > 1e-9 {
			t.Errorf("Top1Tail(%d, %d, %g) = %g, want %g", tc.n, tc.k, tc.floor, got, want)
		}
	}
	if got := Top1Tail(8, 1, 1); got != 0 {
		t.Errorf("a floor of 100%%: one flip has tail %g, want 0", got)
	}
}

func binom(n, k int) int {
	r := 1
	for i := 1; i <= k; i++ {
		r = r * (n - k + i) / i
	}
	return r
}
