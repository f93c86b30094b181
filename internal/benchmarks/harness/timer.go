package harness

import (
	"slices"
	"time"

	"github.com/inferbench/inferbench/internal/quantile"
)

// Timer records one duration per benchmark iteration without allocating in
// the timed loop: Reset sizes its buffer before the loop starts.
type Timer struct {
	d     []time.Duration
	start time.Time
}

// Reset prepares for n iterations (call it before b.ResetTimer).
func (t *Timer) Reset(n int) {
	if cap(t.d) < n {
		t.d = make([]time.Duration, 0, n)
	}
	t.d = t.d[:0]
}

// Start marks the beginning of an iteration.
func (t *Timer) Start() { t.start = time.Now() }

// Stop records the iteration begun by Start.
func (t *Timer) Stop() {
	if len(t.d) < cap(t.d) {
		t.d = append(t.d, time.Since(t.start))
	}
}

// Len is the number of recorded iterations.
func (t *Timer) Len() int { return len(t.d) }

// Summary holds latency percentiles in milliseconds.
type Summary struct {
	N             int
	P50, P95, P99 float64
	Mean          float64
}

// Summarize sorts the recorded durations and returns nearest-rank
// percentiles (package quantile: the p-th percentile is the smallest value
// with at least p% of the samples at or below it).
func (t *Timer) Summarize() Summary {
	if len(t.d) == 0 {
		return Summary{}
	}
	s := slices.Clone(t.d)
	slices.Sort(s)
	var sum time.Duration
	for _, d := range s {
		sum += d
	}
	ms := func(q float64) float64 {
		d, _ := quantile.NearestRank(s, q)
		return float64(d) / float64(time.Millisecond)
	}
	return Summary{
		N:    len(s),
		P50:  ms(0.50),
		P95:  ms(0.95),
		P99:  ms(0.99),
		Mean: float64(sum) / float64(time.Millisecond) / float64(len(s)),
	}
}

// Record adds a duration measured elsewhere, as Stop does.
func (t *Timer) Record(d time.Duration) {
	if len(t.d) < cap(t.d) {
		t.d = append(t.d, d)
	}
}
