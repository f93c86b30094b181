package suite

import (
	"fmt"
	"testing"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
)

// Open opens be on m or, when the backend cannot run here, skips tb with
// the backend's reason (Skip). Any other error fails tb. The caller closes
// the session.
func Open(tb testing.TB, be backends.Backend, m *model.Model, opts backends.Options) backends.Session {
	tb.Helper()
	s, err := be.Open(m, opts)
	if err != nil {
		if r := backends.Reason(err); r != "" {
			Skip(tb, "%s", r)
		}
		tb.Fatalf("%s: open %s: %v", be.Name(), m.Identity.Name, err)
	}
	return s
}

// Skip skips tb with a reason every run shows: go test prints skip reasons
// only with -v, so the reason also goes to stdout on a line benchfmt
// ignores ("# skip <test>: <reason>").
func Skip(tb testing.TB, format string, args ...any) {
	tb.Helper()
	reason := fmt.Sprintf(format, args...)
	fmt.Printf("# skip %s: %s\n", tb.Name(), reason)
	tb.Skip(reason)
}
