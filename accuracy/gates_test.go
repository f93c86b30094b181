package accuracy

import (
	"strings"
	"testing"
)

// TestPerplexityGate judges every candidate backend against the baseline:
// relative perplexity delta, mean and p99 KL and top-1 agreement within
// the bounds of the candidate's precision.
func TestPerplexityGate(t *testing.T) {
	g := runGates(t)
	rep := g.Report
	var head strings.Builder
	rep.WriteHeader(&head)
	for _, n := range g.Notes {
		head.WriteString("note:     " + n + "\n")
	}
	t.Logf("\n%s", head.String())
	if path := outPath(t); path != "" {
		if err := rep.WriteJSON(path); err != nil {
			t.Error(err)
		} else {
			t.Logf("results: %s", path)
		}
	}
	if len(rep.Backends) == 0 {
		t.Logf("no candidate backend besides the baseline %s (registered or named by -backends)", rep.Baseline.Backend)
	}
	defer func() {
		if rep.Invalid != "" { // the subtests said why; so does the gate
			refuse(t, *flagAllowUntrained, rep.Invalid)
		}
	}()
	for i := range rep.Backends {
		r := &rep.Backends[i]
		t.Run("backend="+r.Backend, func(t *testing.T) {
			var tab strings.Builder
			r.WriteTable(&tab)
			t.Logf("baseline %s\n%s", rep.Baseline.Backend, tab.String())
			switch r.Verdict.Status {
			case Skip:
				t.Skipf("skipping %s: %s", r.Backend, strings.Join(r.Verdict.Reasons, "; "))
			case Invalid:
				refuse(t, *flagAllowUntrained, strings.Join(r.Verdict.Reasons, "; "))
			case Fail:
				t.Errorf("%s fails the %s gate against %s: %s", r.Backend, r.Precision, rep.Baseline.Backend, strings.Join(r.Verdict.Reasons, "; "))
			}
		})
	}
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
		refuse(t, *flagAllowUntrained, err.Error())
	}
	t.Logf("trained: baseline %s perplexity %.4f over %d tokens ≤ %.1f (half the vocabulary)",
		rep.Baseline.Backend, rep.Baseline.PPL, rep.Baseline.Scored, UntrainedPPL(m.Vocab))
}
