package metrics

import (
	"errors"
	"fmt"
	"math"
	"testing"
)

func must(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}

// near reports got outside want ± tol.
func near(tb testing.TB, what string, got, want, tol float64) {
	tb.Helper()
	if math.IsNaN(got) || math.Abs(got-want) > tol {
		tb.Errorf("%s = %.17g, want %.17g ± %g", what, got, want, tol)
	}
}

// is reports err not matching target.
func is(tb testing.TB, err, target error, format string, args ...any) {
	tb.Helper()
	if !errors.Is(err, target) {
		tb.Errorf("%s: got error %v, want %v", fmt.Sprintf(format, args...), err, target)
	}
}
