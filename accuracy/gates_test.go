package accuracy

import (
	"testing"
)

// TestPerplexityGate judges every candidate backend against the baseline:
// relative perplexity delta, mean and p99 KL and top-1 agreement within
// the bounds of the candidate's precision.
func TestPerplexityGate(t *testing.T) {
	g := runGates(t)
	if path := outPath(t); path != "" {
		if err := g.Report.WriteJSON(path); err != nil {
			t.Error(err)
		} else {
			t.Logf("results: %s", path)
		}
	}
	g.Test(t, *flagAllowUntrained, *flagStrict)
}

// TestModelIsTrained refuses a model whose baseline perplexity is above
// half its vocabulary: its weights predict nothing, so no accuracy delta
// measured on it means anything. Seeded zoo models are refused before
// anything runs.
func TestModelIsTrained(t *testing.T) {
	g := runGates(t)
	rep, m := g.Report, g.in.model
	t.Logf("model %s", rep.Model)
	if err := CheckTrained(m.Identity.Name, rep.Baseline.PPL, m.Vocab); err != nil {
		Refuse(t, *flagAllowUntrained, err.Error())
	}
	t.Logf("trained: baseline %s perplexity %.4f over %d tokens ≤ %.1f (half the vocabulary)",
		rep.Baseline.Backend, rep.Baseline.PPL, rep.Baseline.Scored, UntrainedPPL(m.Vocab))
}
