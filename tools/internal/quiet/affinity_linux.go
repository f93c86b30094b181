package quiet

import (
	"fmt"
	"os/exec"
	"runtime"

	"golang.org/x/sys/unix"
)

// affinity starts commands from a thread whose CPU set is cpus: a child
// inherits the affinity of the thread that forks it, and so do all the
// threads the child creates.
func affinity(cpus []int) (func(*exec.Cmd) error, string, error) {
	var want unix.CPUSet
	for _, c := range cpus {
		want.Set(c)
	}
	var have unix.CPUSet
	if err := unix.SchedGetaffinity(0, &have); err != nil {
		return nil, "", fmt.Errorf("sched_getaffinity: %w", err)
	}
	for _, c := range cpus {
		if !have.IsSet(c) {
			return nil, "", fmt.Errorf("CPU %d is not in this process's allowed set (%d CPUs)", c, have.Count())
		}
	}
	start := func(cmd *exec.Cmd) error {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		var old unix.CPUSet
		if err := unix.SchedGetaffinity(0, &old); err != nil {
			return fmt.Errorf("sched_getaffinity: %w", err)
		}
		if err := unix.SchedSetaffinity(0, &want); err != nil {
			return fmt.Errorf("sched_setaffinity: %w", err)
		}
		err := cmd.Start()
		if rerr := unix.SchedSetaffinity(0, &old); rerr != nil && err == nil {
			// This thread stays pinned: keep it locked (and so retired
			// when the goroutine exits) rather than reused unpinned.
			runtime.LockOSThread()
			return fmt.Errorf("sched_setaffinity restore: %w", rerr)
		}
		return err
	}
	return start, "sched_setaffinity", nil
}
