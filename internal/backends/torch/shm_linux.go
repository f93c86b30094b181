package torch

import (
	"fmt"
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// segment is a shared-memory file mapped into this process; the worker
// maps the same file, writes logits into it and says how many.
type segment struct {
	path   string
	data   []byte
	floats []float32
}

// shmDir is where segments are made: a tmpfs on Linux.
const shmDir = "/dev/shm"

func newSegment(size int) (*segment, error) {
	f, err := os.CreateTemp(shmDir, "inferbench-torch-*")
	if err != nil {
		return nil, fmt.Errorf("creating a segment in %s: %w", shmDir, err)
	}
	defer f.Close()
	if err := f.Truncate(int64(size)); err != nil {
		os.Remove(f.Name())
		return nil, fmt.Errorf("sizing %s to %d bytes: %w", f.Name(), size, err)
	}
	data, err := unix.Mmap(int(f.Fd()), 0, size, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
	if err != nil {
		os.Remove(f.Name())
		return nil, fmt.Errorf("mapping %s: %w", f.Name(), err)
	}
	s := &segment{path: f.Name(), data: data}
	s.floats = asFloats(data)
	return s, nil
}

func (s *segment) unlink() { os.Remove(s.path) }

func (s *segment) close() {
	if s.data != nil {
		_ = unix.Munmap(s.data)
	}
	s.data, s.floats = nil, nil
	s.unlink()
}

// growPipe asks for a 1 MiB pipe, so a large inline response needs fewer
// wake-ups; the kernel's limit may refuse, and the pipe keeps its size.
func growPipe(f *os.File) { _, _ = unix.FcntlInt(f.Fd(), unix.F_SETPIPE_SZ, 1<<20) }

func pipeSize(f *os.File) string {
	if f == nil {
		return "size unknown"
	}
	n, err := unix.FcntlInt(f.Fd(), unix.F_GETPIPE_SZ, 0)
	if err != nil {
		return "size unknown: " + err.Error()
	}
	return strconv.Itoa(n>>10) + " KiB"
}
