package parallel

import (
	"fmt"
	"sync/atomic"
	"testing"
)

// TestForCoversEachIndexOnce divides every n up to 300 among every worker
// count from 1 to 128 (the core counts of users' machines and beyond) and
// checks that each index is visited exactly once, chunks are non-empty,
// contiguous, in order, and number min(workers, n).
func TestForCoversEachIndexOnce(t *testing.T) {
	for workers := 1; workers <= 128; workers++ {
		for n := 0; n <= 300; n++ {
			seen := make([]atomic.Int32, n)
			var calls atomic.Int32
			los := make([]int, Chunks(n, workers))
			his := make([]int, len(los))
			For(n, workers, func(k, lo, hi int) {
				calls.Add(1)
				if lo >= hi {
					t.Errorf("n=%d workers=%d: chunk %d is empty [%d, %d)", n, workers, k, lo, hi)
				}
				los[k], his[k] = lo, hi
				for i := lo; i < hi; i++ {
					seen[i].Add(1)
				}
			})
			if want := min(workers, n); int(calls.Load()) != want {
				t.Fatalf("n=%d workers=%d: %d chunks, want %d", n, workers, calls.Load(), want)
			}
			for i := range seen {
				if c := seen[i].Load(); c != 1 {
					t.Fatalf("n=%d workers=%d: index %d visited %d times", n, workers, i, c)
				}
			}
			for k := 1; k < len(los); k++ {
				if los[k] != his[k-1] {
					t.Fatalf("n=%d workers=%d: chunk %d starts at %d, previous ends at %d", n, workers, k, los[k], his[k-1])
				}
			}
		}
	}
}

func TestForNonPositiveWorkers(t *testing.T) {
	for _, workers := range []int{0, -3} {
		var got [][2]int
		For(5, workers, func(k, lo, hi int) { got = append(got, [2]int{lo, hi}) })
		if len(got) != 1 || got[0] != [2]int{0, 5} {
			t.Errorf("workers=%d: chunks %v, want one chunk [0, 5)", workers, got)
		}
	}
}

// The split that panicked on 24 cores: 172 positions, 24 workers.
func ExampleBounds() {
	n, c := 172, Chunks(172, 24)
	for _, k := range []int{0, 1, 22, 23} {
		lo, hi := Bounds(n, c, k)
		fmt.Printf("chunk %d: [%d, %d)\n", k, lo, hi)
	}
	// Output:
	// chunk 0: [0, 7)
	// chunk 1: [7, 14)
	// chunk 22: [157, 164)
	// chunk 23: [164, 172)
}
