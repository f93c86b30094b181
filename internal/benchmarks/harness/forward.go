package harness

import (
	"testing"

	"github.com/inferbench/inferbench/backends"
)

// forwardTimes records, per timed call, the forward time a session in
// another process reports for itself (backends.ForwardTimer); nil for
// sessions that do not.
type forwardTimes struct {
	ft backends.ForwardTimer
	t  Timer
}

func newForwardTimes(s backends.Session, n int) *forwardTimes {
	ft, ok := s.(backends.ForwardTimer)
	if !ok {
		return nil
	}
	f := &forwardTimes{ft: ft}
	f.t.Reset(n)
	return f
}

// record takes the last call's forward time.
func (f *forwardTimes) record() {
	if f != nil {
		f.t.Record(f.ft.LastForward())
	}
}

// report adds worker-forward-p50-ms and overhead-x (the round trip's p50
// over the forward's): what the transport and the Go side add to the
// runtime's own time.
func (f *forwardTimes) report(b *testing.B, rt *Timer) {
	if f == nil || f.t.Len() == 0 {
		return
	}
	fw := f.t.Summarize().P50
	b.ReportMetric(fw, "worker-forward-p50-ms")
	if fw > 0 {
		b.ReportMetric(rt.Summarize().P50/fw, "overhead-x")
	}
}
