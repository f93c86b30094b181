// Package memo remembers, once per process, the result of work keyed by
// its inputs: loading a suite's model and corpus, probing a backend in a
// child process. The first Get of a key runs the work; Gets of the same key
// made meanwhile wait for it, and later ones return its result (an error
// too) without running it again.
package memo

import "sync"

// Map memoizes results by key. The zero value is ready to use; a Map must
// not be copied after first use.
type Map[K comparable, V any] struct {
	mu sync.Mutex
	m  map[K]func() (V, error)
}

// Get returns fn's result for k, running fn only if no Get of k has.
func (c *Map[K, V]) Get(k K, fn func() (V, error)) (V, error) {
	c.mu.Lock()
	f, ok := c.m[k]
	if !ok {
		if c.m == nil {
			c.m = map[K]func() (V, error){}
		}
		f = sync.OnceValues(fn)
		c.m[k] = f
	}
	c.mu.Unlock()
	return f()
}
