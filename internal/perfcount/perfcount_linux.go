package perfcount

import (
	"encoding/binary"
	"fmt"
	"os"
	"strconv"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Counter counts instructions:u of the process's threads.
type Counter struct {
	fds []int
}

// Open starts counting on every thread of this process. It returns an
// error wrapping ErrUnsupported when the machine or kernel has no such
// counter, or when perf_event_paranoid forbids it.
func Open() (*Counter, error) {
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnsupported, err)
	}
	attr := unix.PerfEventAttr{
		Type:   unix.PERF_TYPE_HARDWARE,
		Size:   uint32(unsafe.Sizeof(unix.PerfEventAttr{})),
		Config: unix.PERF_COUNT_HW_INSTRUCTIONS,
		Bits:   unix.PerfBitExcludeKernel | unix.PerfBitExcludeHv,
	}
	c := &Counter{}
	for _, t := range tasks {
		tid, err := strconv.Atoi(t.Name())
		if err != nil {
			continue
		}
		fd, err := unix.PerfEventOpen(&attr, tid, -1, -1, unix.PERF_FLAG_FD_CLOEXEC)
		if err == unix.ESRCH { // the thread exited meanwhile
			continue
		}
		if err != nil {
			c.Close()
			return nil, fmt.Errorf("%w: perf_event_open: %w", ErrUnsupported, err)
		}
		c.fds = append(c.fds, fd)
	}
	if len(c.fds) == 0 {
		return nil, fmt.Errorf("%w: no thread to count", ErrUnsupported)
	}
	return c, nil
}

// Read returns the instructions counted so far.
func (c *Counter) Read() (uint64, error) {
	var sum uint64
	var buf [8]byte
	for _, fd := range c.fds {
		if _, err := unix.Read(fd, buf[:]); err != nil {
			return 0, fmt.Errorf("perfcount: read: %w", err)
		}
		sum += binary.NativeEndian.Uint64(buf[:])
	}
	return sum, nil
}

// Close stops counting.
func (c *Counter) Close() error {
	for _, fd := range c.fds {
		unix.Close(fd)
	}
	c.fds = nil
	return nil
}
