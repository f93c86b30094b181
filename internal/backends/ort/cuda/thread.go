//go:build cuda

package cuda

import (
	"fmt"
	"runtime"
)

// osThread runs functions, one at a time, on one goroutine locked to one
// OS thread for its whole life.
//
// ONNX Runtime's CUDA execution provider keeps its captured CUDA graphs in
// a per-thread context (CUDAExecutionProvider::PerThreadContext, found
// through a thread_local map; with enable_cuda_graph the context is not
// released at the end of a Run, so that the thread's graphs can be
// replayed). A Go goroutine may run each cgo call on a different OS
// thread, so a graph session called from goroutines that move, or from a
// fresh goroutine per call (the accuracy pass does that), would warm up,
// capture and keep a new set of graphs per OS thread it happens to land
// on, capturing inside timed runs. Graph sessions therefore make every ORT
// call on one osThread.
//
// do allocates nothing: the caller passes a function value it made once.
type osThread struct {
	calls chan func() error
	errs  chan error
}

func newOSThread() *osThread {
	t := &osThread{calls: make(chan func() error), errs: make(chan error)}
	go func() {
		// Never unlocked: when the goroutine ends (stop), its thread ends
		// with it, and ORT's thread_local contexts of that thread go too.
		runtime.LockOSThread()
		for f := range t.calls {
			t.errs <- protect(f)
		}
	}()
	return t
}

// panicked carries a panic of f back to the goroutine that called do.
type panicked struct{ v any }

func (p *panicked) Error() string { return fmt.Sprint("panic: ", p.v) }

// protect runs f, turning a panic into a *panicked error, so that the
// thread's goroutine survives and the caller re-panics.
func protect(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &panicked{r}
		}
	}()
	return f()
}

// do runs f on t's thread and returns its error; a panic in f panics the
// caller with the same value.
func (t *osThread) do(f func() error) error {
	t.calls <- f
	err := <-t.errs
	if p, ok := err.(*panicked); ok {
		panic(p.v)
	}
	return err
}

// stop ends t's goroutine and its OS thread; t must not be used after.
func (t *osThread) stop() { close(t.calls) }
