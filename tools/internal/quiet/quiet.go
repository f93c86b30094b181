package quiet

import (
	"errors"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
)

// ErrCPUList reports a malformed CPU list.
var ErrCPUList = errors.New("bad CPU list")

// Threads returns the environment that pins a benchmark process's thread
// count to n (GOMAXPROCS and the suite's INFERBENCH_THREADS), and its
// configuration line; nothing for n ≤ 0.
func Threads(n int) (env []string, config string) {
	if n <= 0 {
		return nil, "compare-threads: not pinned"
	}
	return []string{"GOMAXPROCS=" + strconv.Itoa(n), "INFERBENCH_THREADS=" + strconv.Itoa(n)},
		"compare-threads: " + strconv.Itoa(n)
}

// ParseCPUs parses a CPU list such as "1", "0-3" or "0,2-3".
func ParseCPUs(list string) ([]int, error) {
	var cpus []int
	for _, part := range strings.Split(list, ",") {
		lo, hi, isRange := strings.Cut(strings.TrimSpace(part), "-")
		a, err := strconv.Atoi(lo)
		b := a
		if err == nil && isRange {
			b, err = strconv.Atoi(hi)
		}
		if err != nil || a < 0 || b < a || b > 4095 {
			return nil, fmt.Errorf("%w %q: want CPU numbers and ranges such as 0,2-3", ErrCPUList, list)
		}
		for c := a; c <= b; c++ {
			cpus = append(cpus, c)
		}
	}
	return cpus, nil
}

// Affinity returns a function that starts a command on the CPUs of list
// ("" leaves placement alone), and the configuration line that records
// it. When this system cannot place processes, start is nil and the line
// says why; the caller runs unpinned.
func Affinity(list string) (start func(*exec.Cmd) error, config string, err error) {
	if list == "" {
		return nil, "compare-affinity: not pinned", nil
	}
	cpus, err := ParseCPUs(list)
	if err != nil {
		return nil, "", err
	}
	start, how, err := affinity(cpus)
	if err != nil {
		return nil, fmt.Sprintf("compare-affinity: not applied (%v)", err), nil
	}
	return start, fmt.Sprintf("compare-affinity: %s (%s)", list, how), nil
}
