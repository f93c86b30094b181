package harness

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseWarmUp(t *testing.T) {
	for in, want := range map[string]WarmUp{"3": {N: 3}, "0": {N: -1}, "stable": {Stable: true}} {
		got, err := ParseWarmUp(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, bad := range []string{"", "-1", "steady"} {
		_, err := ParseWarmUp(bad)
		assert.Error(t, err, bad)
	}
	assert.Equal(t, "3 prefills", WarmUp{}.String())
	assert.Equal(t, "stable (until the last 5 prefills' CV < 2%, at most 100 or 2s)", WarmUp{Stable: true}.String())
}

func TestWarmUpRun(t *testing.T) {
	calls := 0
	count := func() error { calls++; return nil }
	n, stable, err := WarmUp{N: 4}.Run(count)
	require.NoError(t, err)
	assert.Equal(t, 4, n)
	assert.False(t, stable)
	assert.Equal(t, 4, calls)

	// Slow first prefills, then steady ones: the stable warm-up ends on
	// the first window of StableK steady times.
	calls = 0
	settle := func() error {
		calls++
		d := 2 * time.Millisecond
		if calls <= 3 {
			d = time.Duration(20-5*calls) * time.Millisecond
		}
		busy(d)
		return nil
	}
	n, stable, err = WarmUp{Stable: true}.Run(settle)
	require.NoError(t, err)
	if !stable {
		t.Skipf("this machine's timings did not settle within the limits (%d prefills): too loaded to test", n)
	}
	assert.GreaterOrEqual(t, n, 3+StableK)
	assert.Less(t, n, WarmUpMax)

	// A failing prefill ends the warm-up with its error.
	boom := errors.New("boom")
	_, _, err = WarmUp{Stable: true}.Run(func() error { return boom })
	assert.ErrorIs(t, err, boom)
}

// busy spins for d (sleeping would measure the scheduler).
func busy(d time.Duration) {
	for start := time.Now(); time.Since(start) < d; {
	}
}
