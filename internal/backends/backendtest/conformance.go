package backendtest

import (
	"testing"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/backends/suite"
	"github.com/inferbench/inferbench/internal/lm/workload"
)

// Case is one conformance check: a candidate against a baseline on a model.
type Case struct {
	Candidate, Baseline backends.Backend
	Model               *model.Model
	Tokens              []int64 // corpus tokens the inputs are cut from
	Scenarios           []workload.Scenario
	// MaxRelL2 is the largest acceptable relative L2 error per scenario.
	MaxRelL2 float64
	Options  backends.Options
}

// Open opens be on m, skipping tb with the backend's reason when it is
// unavailable (suite.Open), and closes the session when tb ends.
func Open(tb testing.TB, be backends.Backend, m *model.Model, opts backends.Options) backends.Session {
	tb.Helper()
	s := suite.Open(tb, be, m, opts)
	tb.Cleanup(func() {
		if err := s.Close(); err != nil {
			tb.Errorf("close %s: %v", be.Name(), err)
		}
	})
	return s
}

// Run checks every scenario in a subtest named scenario=<name>.
func Run(t *testing.T, c Case) {
	t.Helper()
	cand := Open(t, c.Candidate, c.Model, c.Options)
	base := Open(t, c.Baseline, c.Model, c.Options)
	for _, sc := range c.Scenarios {
		t.Run("scenario="+sc.Name, func(t *testing.T) {
			if c.Model.Positions > 0 && sc.Seq > c.Model.Positions {
				t.Skipf("sequence %d exceeds n_positions %d", sc.Seq, c.Model.Positions)
			}
			in, err := workload.Inputs(c.Tokens, sc)
			if err != nil {
				t.Fatal(err)
			}
			got := make([]float32, c.Model.LogitsLen(sc.Batch, sc.Seq))
			want := make([]float32, len(got))
			Poison(got)
			Poison(want)
			if err := cand.Prefill(in, sc.Batch, sc.Seq, got); err != nil {
				t.Fatalf("%s: %v", c.Candidate.Name(), err)
			}
			if err := base.Prefill(in, sc.Batch, sc.Seq, want); err != nil {
				t.Fatalf("%s: %v", c.Baseline.Name(), err)
			}
			d, err := Compare(got, want)
			if err != nil {
				t.Fatalf("%s vs %s: %v", c.Candidate.Name(), c.Baseline.Name(), err)
			}
			t.Logf("%s vs %s on %s %s: %v", c.Candidate.Name(), c.Baseline.Name(), c.Model.Identity.Name, sc, d)
			if d.RelL2 > c.MaxRelL2 {
				t.Errorf("%s vs %s on %s %s: %v exceeds %g", c.Candidate.Name(), c.Baseline.Name(), c.Model.Identity.Name, sc, d, c.MaxRelL2)
			}
		})
	}
}
