package accuracy

import (
	"strings"
	"testing"
)

// Refuser is the part of testing.TB that Refuse needs.
type Refuser interface {
	Helper()
	Skipf(format string, args ...any)
	Fatalf(format string, args ...any)
}

// Refuse ends a gate that cannot judge the model: a failure, or a skip
// (never a pass) when allowUntrained is set (-allow-untrained).
func Refuse(t Refuser, allowUntrained bool, why string) {
	t.Helper()
	if allowUntrained {
		t.Skipf("INVALID, skipped (-allow-untrained), not passed: %s", why)
		return
	}
	t.Fatalf("INVALID: %s (pass -allow-untrained to skip these gates instead)", why)
}

// NothingCompared ends a gate in which no candidate ran against the
// baseline (err from Report.Compared): SKIP with the reason, or FAIL when
// strict is set (-strict); never PASS.
func NothingCompared(t Refuser, strict bool, err error) {
	t.Helper()
	if strict {
		t.Fatalf("FAIL (-strict): %v", err)
		return
	}
	t.Skipf("SKIP, not passed: %v (FAIL under -strict)", err)
}

// Test turns the run's verdicts into subtests of t named backend=B: a
// FAIL fails its subtest with the reasons, a SKIP skips it with the
// backend's reason, an INVALID is refused (Refuse); the report's header,
// the notes and each backend's table are logged. A report marked invalid
// (an untrained baseline) refuses t itself after the subtests; one in
// which no candidate ran ends it with NothingCompared.
func (run GateRun) Test(t *testing.T, allowUntrained, strict bool) {
	t.Helper()
	rep := run.Report
	var head strings.Builder
	rep.WriteHeader(&head)
	for _, n := range run.Notes {
		head.WriteString("note:     " + n + "\n")
	}
	t.Logf("\n%s", head.String())
	defer func() {
		if rep.Invalid != "" { // the subtests said why; so does the gate
			Refuse(t, allowUntrained, rep.Invalid)
			return
		}
		if err := rep.Compared(); err != nil {
			NothingCompared(t, strict, err)
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
				Refuse(t, allowUntrained, strings.Join(r.Verdict.Reasons, "; "))
			case Fail:
				t.Errorf("%s fails the %s gate against %s: %s", r.Backend, r.Precision, rep.Baseline.Backend, strings.Join(r.Verdict.Reasons, "; "))
			}
		})
	}
}
