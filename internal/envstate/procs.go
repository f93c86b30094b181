package envstate

import (
	"bytes"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
)

// ppid reads the parent of pid from proc/<pid>/stat under fsys.
func ppid(fsys fs.FS, pid int) (int, error) {
	data, err := fs.ReadFile(fsys, fmt.Sprintf("proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	i := bytes.LastIndexByte(data, ')')
	if i < 0 {
		return 0, fmt.Errorf("/proc/%d/stat: no command name", pid)
	}
	f := strings.Fields(string(data[i+1:]))
	if len(f) < 2 {
		return 0, fmt.Errorf("/proc/%d/stat: no parent", pid)
	}
	return strconv.Atoi(f[1])
}

// Descends reports whether pid is self or one of its descendants, as
// /proc under fsys shows them: a worker process this process started
// (the torch backends' Python worker) is part of the benchmark, not
// another process sharing the machine. A pid /proc does not show (another
// PID namespace) does not descend.
func Descends(fsys fs.FS, pid, self int) bool {
	for range 64 { // process trees are shallow; this bounds a cycle
		if pid == self {
			return true
		}
		if pid <= 1 {
			return false
		}
		p, err := ppid(fsys, pid)
		if err != nil {
			return false
		}
		pid = p
	}
	return false
}

// Mapped reports whether this process has a file whose name starts with
// prefix mapped (proc/self/maps under fsys): whether it loaded a library,
// such as "libcuda.so" for a process that may hold a CUDA context.
func Mapped(fsys fs.FS, prefix string) bool {
	data, err := fs.ReadFile(fsys, "proc/self/maps")
	if err != nil {
		return false
	}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) < 6 {
			continue
		}
		if name := f[len(f)-1]; strings.HasPrefix(name[strings.LastIndexByte(name, '/')+1:], prefix) {
			return true
		}
	}
	return false
}
