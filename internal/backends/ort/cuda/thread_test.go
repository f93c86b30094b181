//go:build cuda && linux

package cuda

import (
	"errors"
	"runtime"
	"syscall"
	"testing"
)

// TestOSThread: calls made from many fresh goroutines, under several
// GOMAXPROCS values, all run on one OS thread (ORT's per-thread CUDA
// graphs stay found); errors come back, a panic reaches the caller and
// leaves the thread working, and a call allocates nothing. It needs no
// GPU.
func TestOSThread(t *testing.T) {
	for _, procs := range []int{1, 2, 3, 16, 64} {
		prev := runtime.GOMAXPROCS(procs)
		th := newOSThread()
		var tid int
		where := func() error { tid = syscall.Gettid(); return nil }
		if err := th.do(where); err != nil {
			t.Fatal(err)
		}
		first := tid
		for range 50 {
			done := make(chan error)
			go func() { done <- th.do(where) }()
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			if tid != first {
				t.Fatalf("GOMAXPROCS %d: a call ran on thread %d, the first on %d", procs, tid, first)
			}
			runtime.Gosched()
		}
		errBoom := errors.New("boom")
		if err := th.do(func() error { return errBoom }); !errors.Is(err, errBoom) {
			t.Errorf("error = %v, want %v", err, errBoom)
		}
		func() {
			defer func() {
				if r := recover(); r != "kaput" {
					t.Errorf("recovered %v, want the callee's panic", r)
				}
			}()
			th.do(func() error { panic("kaput") })
			t.Error("no panic")
		}()
		if err := th.do(where); err != nil || tid != first {
			t.Errorf("after a panic: %v, thread %d, want %d", err, tid, first)
		}
		if a := testing.AllocsPerRun(100, func() { th.do(where) }); a != 0 {
			t.Errorf("do allocates %v times per call, want 0", a)
		}
		th.stop()
		runtime.GOMAXPROCS(prev)
	}
}

// BenchmarkOSThread is what a graph session's call costs beyond ORT's
// work: the handoff to the locked thread and back.
func BenchmarkOSThread(b *testing.B) {
	th := newOSThread()
	defer th.stop()
	noop := func() error { return nil }
	b.ReportAllocs()
	for b.Loop() {
		th.do(noop)
	}
}
