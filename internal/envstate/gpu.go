package envstate

import "sync"

// NVML clocks-event reason bits (nvmlClocksEventReason*, nvml.h): the ones
// this package judges. Others (idle, sync boost, display, the deprecated
// applications-clocks bit) are recorded in GPUSample.Reasons but not
// judged.
const (
	ReasonSwPowerCap         uint64 = 0x4
	ReasonHwSlowdown         uint64 = 0x8
	ReasonSwThermalSlowdown  uint64 = 0x20
	ReasonHwThermalSlowdown  uint64 = 0x40
	ReasonHwPowerBrakeSlowdn uint64 = 0x80
)

// Proc is a process holding a context on the GPU.
type Proc struct {
	PID      uint32
	MemBytes uint64 // device memory it uses; 0 when NVML cannot say
}

// GPUSample is one reading of the GPU.
type GPUSample struct {
	SMMHz, MemMHz uint32
	Reasons       uint64 // NVML clocks-event reason bits active
	TempC         uint32
	// Others are the processes on the device other than this one.
	Others []Proc
}

// A GPUReader samples one GPU. Sample may be called from a goroutine
// other than the one that made the reader, but never concurrently.
type GPUReader interface {
	Sample() (GPUSample, error)
	Close()
}

// Scripted is a GPUReader that plays back samples, for tests: the i-th
// call of Sample returns Samples[i], and the last one once they run out.
// It is how tests without a GPU play a throttle event in the middle of a
// timed loop.
type Scripted struct {
	mu      sync.Mutex
	Samples []GPUSample
	calls   int
	closed  bool
}

// Sample returns the next scripted sample.
func (s *Scripted) Sample() (GPUSample, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := min(s.calls, len(s.Samples)-1)
	s.calls++
	return s.Samples[i], nil
}

// Close records that the reader was closed.
func (s *Scripted) Close() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
}

// Calls reports how many samples were taken, and whether Close was
// called.
func (s *Scripted) Calls() (int, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls, s.closed
}
