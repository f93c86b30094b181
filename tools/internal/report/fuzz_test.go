package report

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/inferbench/inferbench/accuracy"
	"github.com/inferbench/inferbench/backends/model"
)

// FuzzAccuracy feeds arbitrary bytes to the accuracy JSON reader and the
// verdict checks: they may reject the file, never panic, and a file they
// accept without a reason has PASS and FAIL verdicts that follow from its
// numbers and its precision's bounds.
func FuzzAccuracy(f *testing.F) {
	fixture, err := os.ReadFile(filepath.Join("testdata", "accuracy.json"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(fixture)
	f.Add([]byte(`{"baseline": {"backend": "b", "ppl": 2, "mean_nll": 0.693147, "tokens_scored": 200}, "backends": [{"backend": "c", "precision": "fp32", "tokens": 200, "tokens_scored": 200, "ppl": 2, "mean_nll": 0.693147, "baseline_ppl": 2, "divergence": {"top1_agreement": 1}, "verdict": {"status": "PASS"}}]}`))
	f.Add([]byte(`{"baseline": {"backend": "b", "ppl": -1}, "backends": [{"ppl": 1e308, "divergence": {"kl_mean": -0}, "verdict": {"status": "FAIL"}}]}`))
	f.Add([]byte(`{"corpus": {"name": "x", "sha256": "y"}, "backends": [{"verdict": {"status": "SKIP"}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := parseAccuracy("acc.json", data)
		if err != nil {
			return
		}
		d := &Data{Config: map[string][]Value{"corpus": {{Value: "x"}}, "corpus-sha256": {{Value: "y"}}}}
		_ = d.checkCorpus(a)
		if reasons := checkVerdicts(a); len(reasons) > 0 {
			return
		}
		for i := range a.Backends {
			r := &a.Backends[i]
			if r.Verdict.Status != accuracy.Pass && r.Verdict.Status != accuracy.Fail {
				continue
			}
			th, err := accuracy.ThresholdsFor(model.Precision(r.Precision))
			if err != nil {
				t.Fatalf("backend %s: unknown precision %q accepted", r.Backend, r.Precision)
			}
			if v := rejudge(r, th); v.Status != r.Verdict.Status {
				t.Fatalf("backend %s claims %s, re-judged %s %v, accepted", r.Backend, r.Verdict.Status, v.Status, v.Reasons)
			}
			if !(r.PPL >= 1) || r.Scored < accuracy.MinScoredTokens {
				t.Fatalf("backend %s: PPL %v over %d tokens accepted", r.Backend, r.PPL, r.Scored)
			}
		}
	})
}
