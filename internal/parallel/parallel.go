package parallel

import "sync"

// Chunks returns how many chunks For divides n items into for the given
// number of workers: min(workers, n), at least 1 when n > 0, and 0 when
// n <= 0.
func Chunks(n, workers int) int {
	if n <= 0 {
		return 0
	}
	return max(min(workers, n), 1)
}

// Bounds returns the half-open range [lo, hi) of chunk k of n items divided
// into chunks (as returned by Chunks) of near-equal size: chunk sizes
// differ by at most one, and every chunk is non-empty.
func Bounds(n, chunks, k int) (lo, hi int) {
	return k * n / chunks, (k + 1) * n / chunks
}

// For calls f(k, lo, hi) for every chunk k of [0, n) as divided by Chunks and
// Bounds, concurrently, and returns when all calls have returned. A single
// chunk runs on the calling goroutine. For n <= 0 it calls nothing.
func For(n, workers int, f func(k, lo, hi int)) {
	c := Chunks(n, workers)
	if c == 1 {
		f(0, 0, n)
		return
	}
	var wg sync.WaitGroup
	for k := range c {
		lo, hi := Bounds(n, c, k)
		wg.Go(func() { f(k, lo, hi) })
	}
	wg.Wait()
}
