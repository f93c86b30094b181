package harness

import (
	"testing"
	"time"
)

// cpuTime measures the CPU time a timed loop uses: the time every thread
// of the process spent running on a CPU (CLOCK_PROCESS_CPUTIME_ID), so
// neither the time it waited for a CPU another process held nor, where
// the kernel accounts it, the time the hypervisor gave to other guests
// (steal). On a shared machine that makes cpu-sec/op far steadier than
// sec/op for a benchmark that computes on the CPU; for one that waits on
// a device it measures only the host's share. Spans between pause and
// resume (the output checks) are left out, as the timer leaves them out.
// A nil *cpuTime (no process CPU clock) reports nothing, and the
// configuration line "cpu-time" says why.
type cpuTime struct {
	used  time.Duration // closed spans
	since time.Duration // the clock when the open span began; <0: paused
}

func startCPUTime() *cpuTime {
	now, err := processCPU()
	if err != nil {
		return nil
	}
	return &cpuTime{since: now}
}

func (c *cpuTime) pause() {
	if c == nil || c.since < 0 {
		return
	}
	if now, err := processCPU(); err == nil {
		c.used += now - c.since
	}
	c.since = -1
}

func (c *cpuTime) resume() {
	if c == nil || c.since >= 0 {
		return
	}
	if now, err := processCPU(); err == nil {
		c.since = now
	}
}

// report adds cpu-sec/op for the b.N iterations measured.
func (c *cpuTime) report(b *testing.B) {
	if c == nil || b.N <= 0 {
		return
	}
	c.pause()
	b.ReportMetric(c.used.Seconds()/float64(b.N), "cpu-sec/op")
}

// cpuTimeLine is the configuration line "cpu-time": the clock cpu-sec/op
// is read from, or why there is none.
func cpuTimeLine() string {
	if _, err := processCPU(); err != nil {
		return "not supported (" + err.Error() + ")"
	}
	return "process CPU clock (all threads' time on a CPU; excludes waiting for a CPU, and steal where the kernel accounts it)"
}
