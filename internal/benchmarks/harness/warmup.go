package harness

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"gonum.org/v1/gonum/stat"
)

// WarmUp says how many untimed prefills run before timing: a fixed
// count, or, when Stable, until the last StableK prefills' times vary by
// less than StableCV (coefficient of variation), at most WarmUpMax
// prefills or WarmUpMaxTime. A fixed count ends too early on a machine
// still settling (caches, frequency, lazy allocation, a neighbour's
// burst) and too late on one already settled; a stable warm-up ends
// when the timings say so.
type WarmUp struct {
	Stable bool
	N      int // the fixed count; 0 means Warmup
}

// Limits of the stable warm-up.
const (
	StableK       = 5
	StableCV      = 0.02
	WarmUpMax     = 100
	WarmUpMaxTime = 2 * time.Second
)

// ParseWarmUp parses the -warmup flag: a count, or "stable".
func ParseWarmUp(s string) (WarmUp, error) {
	if s == "stable" {
		return WarmUp{Stable: true}, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return WarmUp{}, fmt.Errorf("warmup %q: want a count ≥ 0 or \"stable\"", s)
	}
	if n == 0 {
		return WarmUp{N: -1}, nil
	}
	return WarmUp{N: n}, nil
}

func (w WarmUp) String() string {
	if w.Stable {
		return fmt.Sprintf("stable (until the last %d prefills' CV < %g%%, at most %d or %v)", StableK, 100*StableCV, WarmUpMax, WarmUpMaxTime)
	}
	return fmt.Sprintf("%d prefills", w.count())
}

func (w WarmUp) count() int {
	switch {
	case w.N < 0:
		return 0
	case w.N == 0:
		return Warmup
	}
	return w.N
}

// Run runs the warm-up and returns how many prefills it ran and, for a
// stable warm-up, whether it ended on stability rather than a limit.
func (w WarmUp) Run(run func() error) (n int, stable bool, err error) {
	if !w.Stable {
		for range w.count() {
			if err := run(); err != nil {
				return n, false, err
			}
			n++
		}
		return n, false, nil
	}
	start := time.Now()
	var times []float64
	for n < WarmUpMax && time.Since(start) < WarmUpMaxTime {
		t := time.Now()
		if err := run(); err != nil {
			return n, false, err
		}
		times = append(times, float64(time.Since(t)))
		n++
		if len(times) >= StableK && cv(times[len(times)-StableK:]) < StableCV {
			return n, true, nil
		}
	}
	return n, false, nil
}

func cv(x []float64) float64 {
	mean, sd := stat.MeanStdDev(x, nil)
	if mean == 0 {
		return math.Inf(1)
	}
	return sd / mean
}
