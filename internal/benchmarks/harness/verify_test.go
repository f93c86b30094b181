package harness

import (
	"strings"
	"testing"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/backends/ort/cpu"
	"github.com/inferbench/inferbench/internal/backends/suite"
	"github.com/inferbench/inferbench/internal/lm/workload"
)

// withPrecision is a backend claiming another precision.
type withPrecision struct {
	backends.Backend
	p model.Precision
}

func (b withPrecision) Precision() model.Precision { return b.p }
func (b withPrecision) Name() string               { return "claims-" + string(b.p) }

// The baseline of the reference is ort-cpu, and of everything else the
// reference (gpt2-tiny has Go weights and fits the budget); a backend of a
// precision without bounds cannot be verified and says why; a check
// passes the reference's own outputs and fails another batch's.
func TestOutputCheck(t *testing.T) {
	s := suite.Settings{Backends: "reference"}
	f, err := s.Load()
	if err != nil {
		t.Fatal(err)
	}
	ref, err := backends.Lookup(Reference)
	if err != nil {
		t.Fatal(err)
	}
	v := newVerifier(Plan{Fixture: f, Options: s.Options()})
	defer v.close()
	sc := workload.Scenario{Name: "t", Batch: 1, Seq: 8}
	batches, err := workload.Batches(f.Tokens, sc, VerifyBatches)
	if err != nil {
		t.Fatal(err)
	}

	if _, err := backends.Lookup(cpu.Name); err == nil {
		if c := v.prefillCheck(ref, sc, batches); c.Why == "" && !strings.HasPrefix(c.Baseline, cpu.Name) && !strings.Contains(c.Baseline, "itself") {
			t.Errorf("the reference's baseline is %q, want ort-cpu (or itself where ort-cpu cannot run)", c.Baseline)
		}
	}
	odd := v.prefillCheck(withPrecision{ref, "fp4"}, sc, batches)
	if !strings.Contains(odd.Why, "no bounds for precision") || !strings.HasPrefix(odd.Config()[0][1], "no (") || odd.Config()[0][0] != "verified" {
		t.Errorf("fp4: Why %q, config %v", odd.Why, odd.Config())
	}

	c := v.prefillCheck(withPrecision{ref, model.FP32}, sc, batches)
	if c.Why != "" || !strings.HasPrefix(c.Baseline, Reference+", fp32") {
		t.Fatalf("fp32 check: Why %q, baseline %q", c.Why, c.Baseline)
	}
	c.Start()
	want, err := c.want(1)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Logits(1, want, f.Model.Vocab); err != nil {
		t.Fatal(err)
	}
	if why := c.Invalid(); why != "" || c.calls != 1 {
		t.Errorf("the baseline's own logits: invalid %q after %d calls", why, c.calls)
	}
	if err := c.Logits(2, want, f.Model.Vocab); err != nil { // batch 1's logits for batch 2: a replay
		t.Fatal(err)
	}
	if why := c.Invalid(); !strings.Contains(why, "KL") || c.failed["kl"] != 1 {
		t.Errorf("a replayed batch: invalid %q, failed %v", why, c.failed)
	}
	c.Start() // a later run that breaks nothing still carries the mark
	if why := c.Invalid(); !strings.Contains(why, "earlier run") || !c.earlier["kl"] {
		t.Errorf("after a clean run: invalid %q", why)
	}
}

func TestChecked(t *testing.T) {
	for n, want := range map[int][]int{1: {0}, 2: {0, 1}, 3: {0, 1, 2}, 10: {0, 5, 9}} {
		if got := Checked(n); len(got) != len(want) || got[len(got)-1] != want[len(want)-1] || got[len(got)/2] != want[len(want)/2] {
			t.Errorf("Checked(%d) = %v, want %v", n, got, want)
		}
	}
}
