package eval

import (
	"fmt"
	"math"
	"runtime"
	"testing"
)

// TestEvaluateAnyCoreCount: the scoring split depends on GOMAXPROCS, which
// is 2 on CI and 16–128 on users' machines. For each core count and odd
// numbers of scored positions per group (so that workers × chunk overshoots
// the job count), the evaluation neither panics nor changes its sums: the
// result equals the direct, window-free NLL and the single-core result.
func TestEvaluateAnyCoreCount(t *testing.T) {
	const vocab = 13
	m := fakeModel(vocab, 64)
	for _, procs := range []int{1, 2, 3, 7, 16, 24, 64} {
		for _, n := range []int{2, 5, 31, 65, 173, 301} {
			for _, window := range []int{7, 64} {
				t.Run(fmt.Sprintf("procs=%d/n=%d/window=%d", procs, n, window), func(t *testing.T) {
					defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
					tokens := fakeTokens(n, vocab)
					want := (&bigram{vocab: vocab}).directNLL(tokens)
					res, err := Evaluate(m, tokens, Run{"base", &bigram{vocab: vocab}},
						[]Run{{"cand", &bigram{vocab: vocab, noise: 0.1}}}, Options{Window: window, Batch: 3})
					if err != nil {
						t.Fatal(err)
					}
					p := res.Baseline.Perplexity
					if p.Tokens != n-1 || math.Abs(p.SumNLL-want) > 1e-9*math.Max(1, want) {
						t.Errorf("%d tokens, NLL %.12g; want %d, %.12g", p.Tokens, p.SumNLL, n-1, want)
					}
					if got := res.Candidates[0].Divergence.Positions; got != n-1 {
						t.Errorf("candidate divergence over %d tokens, want %d", got, n-1)
					}
				})
			}
		}
	}
}
