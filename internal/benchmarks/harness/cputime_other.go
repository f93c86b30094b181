//go:build !linux

package harness

import (
	"errors"
	"time"
)

// processCPU: the process CPU clock is read on Linux only.
func processCPU() (time.Duration, error) {
	return 0, errors.New("the process CPU clock is read on Linux only")
}
