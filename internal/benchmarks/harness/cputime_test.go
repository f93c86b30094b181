package harness

import (
	"runtime"
	"testing"
	"time"
)

// burn spins on this goroutine's CPU until the process CPU clock has
// advanced by d.
func burn(t *testing.T, d time.Duration) {
	t.Helper()
	start, err := processCPU()
	if err != nil {
		t.Fatal(err)
	}
	x := 1.0
	for {
		for range 10000 {
			x = x*1.0000001 + 1e-9
		}
		now, err := processCPU()
		if err != nil {
			t.Fatal(err)
		}
		if now-start >= d {
			break
		}
	}
	runtime.KeepAlive(x)
}

// TestCPUTimeLeavesOutPausedSpans: cpu-sec/op counts the timed spans and
// not the checks between pause and resume; the clock counts CPU time, so
// a span that sleeps adds almost nothing.
func TestCPUTimeLeavesOutPausedSpans(t *testing.T) {
	if _, err := processCPU(); err != nil {
		t.Skipf("no process CPU clock: %v", err)
	}
	c := startCPUTime()
	burn(t, 40*time.Millisecond)
	c.pause()
	burn(t, 200*time.Millisecond) // a check: left out
	c.pause()                     // a second pause is a no-op
	c.resume()
	time.Sleep(200 * time.Millisecond) // waiting: not CPU time
	burn(t, 40*time.Millisecond)
	c.resume() // a second resume is a no-op
	c.pause()
	// 80 ms burned in timed spans; the other goroutines of a test binary
	// (GC, the timer) add a little, never the 200 ms check or the sleep.
	if c.used < 80*time.Millisecond || c.used > 150*time.Millisecond {
		t.Errorf("measured %v of CPU time, want 80 ms (+ a little)", c.used)
	}
	var nilClock *cpuTime // no clock: every method is a no-op
	nilClock.pause()
	nilClock.resume()
}
