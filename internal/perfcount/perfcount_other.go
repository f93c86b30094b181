//go:build !linux

package perfcount

import "fmt"

// Counter counts instructions:u of the process's threads.
type Counter struct{}

// Open returns ErrUnsupported: counting is implemented for Linux only.
func Open() (*Counter, error) {
	return nil, fmt.Errorf("%w: perf_event_open is Linux's", ErrUnsupported)
}

// Read returns 0 and an error.
func (c *Counter) Read() (uint64, error) { return 0, ErrUnsupported }

// Close does nothing.
func (c *Counter) Close() error { return nil }
