package memo

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
)

// TestGetRunsOncePerKey: concurrent Gets of one key run the work once and
// all see its result, an error included; another key runs its own.
func TestGetRunsOncePerKey(t *testing.T) {
	var c Map[string, int]
	var runs atomic.Int32
	errBoom := errors.New("boom")
	work := func(v int, err error) func() (int, error) {
		return func() (int, error) { runs.Add(1); return v, err }
	}
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			if v, err := c.Get("a", work(1, nil)); v != 1 || err != nil {
				t.Errorf("Get(a) = %d, %v", v, err)
			}
			if _, err := c.Get("b", work(2, errBoom)); !errors.Is(err, errBoom) {
				t.Errorf("Get(b) error = %v", err)
			}
		})
	}
	wg.Wait()
	if n := runs.Load(); n != 2 {
		t.Errorf("work ran %d times, want once per key (2)", n)
	}
}
