package harness

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"

	"github.com/shirou/gopsutil/v4/process"
)

// ReleaseMemory returns freed memory to the OS: Go's heap (a collection and
// debug.FreeOSMemory) and, on Linux with cgo, the C allocator's free pages
// (malloc_trim), so that memory an earlier benchmark freed does not count in
// the next one's peak RSS.
func ReleaseMemory() {
	runtime.GC()
	debug.FreeOSMemory()
	mallocTrim()
}

// ResetPeakRSS resets the kernel's resident-set high-water mark (VmHWM) of
// this process, so the next PeakRSS covers only what ran since. It reports
// whether the reset worked (Linux ≥ 4.0 with /proc/self/clear_refs); without
// it PeakRSS is the process-lifetime peak.
func ResetPeakRSS() bool {
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
}

// PeakRSS returns the process' resident-set high-water mark in bytes.
func PeakRSS() (uint64, error) {
	p, err := process.NewProcess(int32(os.Getpid()))
	if err != nil {
		return 0, fmt.Errorf("harness: peak rss: %w", err)
	}
	mi, err := p.MemoryInfo()
	if err != nil {
		return 0, fmt.Errorf("harness: peak rss: %w", err)
	}
	if mi.HWM == 0 {
		return mi.RSS, nil
	}
	return mi.HWM, nil
}
