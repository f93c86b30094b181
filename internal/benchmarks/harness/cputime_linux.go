package harness

import (
	"fmt"
	"time"

	"golang.org/x/sys/unix"
)

// processCPU reads CLOCK_PROCESS_CPUTIME_ID.
func processCPU() (time.Duration, error) {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_PROCESS_CPUTIME_ID, &ts); err != nil {
		return 0, fmt.Errorf("clock_gettime(CLOCK_PROCESS_CPUTIME_ID): %w", err)
	}
	return time.Duration(ts.Nano()), nil
}
