package accuracy

import (
	"errors"
	"flag"
	"fmt"
	"strings"
	"testing"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
)

// recorder records how refuse ended a test.
type recorder struct{ skipped, failed string }

func (r *recorder) Helper()                           {}
func (r *recorder) Skipf(format string, args ...any)  { r.skipped = fmt.Sprintf(format, args...) }
func (r *recorder) Fatalf(format string, args ...any) { r.failed = fmt.Sprintf(format, args...) }

// TestRefuse: an invalid gate fails, saying why, or under -allow-untrained
// is skipped; it never passes.
func TestRefuse(t *testing.T) {
	var r recorder
	Refuse(&r, false, "model m is untrained")
	if r.skipped != "" || !strings.Contains(r.failed, "INVALID: model m is untrained") || !strings.Contains(r.failed, "-allow-untrained") {
		t.Errorf("without -allow-untrained: %+v", r)
	}
	r = recorder{}
	Refuse(&r, true, "model m is untrained")
	if r.failed != "" || !strings.Contains(r.skipped, "INVALID, skipped (-allow-untrained), not passed: model m is untrained") {
		t.Errorf("with -allow-untrained: %+v", r)
	}
}

// TestNothingCompared: a gate whose every candidate was skipped (here: none
// could open) names its baseline and each reason, and is SKIP, or FAIL
// under -strict; with one candidate judged it compared something.
func TestNothingCompared(t *testing.T) {
	base := &fakeBackend{name: "base", precision: model.FP32}
	gone := &fakeBackend{name: "gone", precision: model.FP32, reason: "no library"}
	rep, err := Evaluate(fakeModel(model.Trained), nil, fakeTokens(300), base, []backends.Backend{gone}, Config{Window: 32})
	if err != nil {
		t.Fatal(err)
	}
	err = rep.Compared()
	if !errors.Is(err, ErrNothingCompared) || !strings.Contains(err.Error(), "baseline base (fp32) scored 299 tokens") || !strings.Contains(err.Error(), "gone: no library") {
		t.Fatalf("Compared() = %v, want ErrNothingCompared naming the baseline and why gone did not run", err)
	}
	var r recorder
	NothingCompared(&r, false, err)
	if r.failed != "" || !strings.Contains(r.skipped, "SKIP, not passed") || !strings.Contains(r.skipped, "gone: no library") {
		t.Errorf("without -strict: %+v", r)
	}
	r = recorder{}
	NothingCompared(&r, true, err)
	if r.skipped != "" || !strings.Contains(r.failed, "FAIL (-strict)") {
		t.Errorf("with -strict: %+v", r)
	}

	none := &Report{Baseline: BaselineResult{Backend: "base", Precision: "fp32"}}
	if err := none.Compared(); !errors.Is(err, ErrNothingCompared) || !strings.Contains(err.Error(), "no candidate backend") {
		t.Errorf("no candidates: %v", err)
	}
	ran := &fakeBackend{name: "ran", precision: model.FP32}
	rep, err = Evaluate(fakeModel(model.Trained), nil, fakeTokens(300), base, []backends.Backend{gone, ran}, Config{Window: 32})
	if err != nil {
		t.Fatal(err)
	}
	if err := rep.Compared(); err != nil {
		t.Errorf("one candidate ran: %v", err)
	}
}

// TestAccuracyOutDefault: without -accuracy-out or -artifacts no JSON is
// written, in particular not to a shared temporary path.
func TestAccuracyOutDefault(t *testing.T) {
	if *flagOut != "" {
		t.Skipf("skipping: -accuracy-out=%s given", *flagOut)
	}
	if f := flag.Lookup("test.artifacts"); f != nil && f.Value.String() == "true" {
		t.Skip("skipping: -artifacts given")
	}
	if p := outPath(t); p != "" {
		t.Errorf("default results file %q, want none", p)
	}
}
