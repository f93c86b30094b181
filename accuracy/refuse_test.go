package accuracy

import (
	"fmt"
	"strings"
	"testing"
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
