package harness

// GPUReading is what a GPUMeter measured over a timed loop. OK is false
// where nothing could be measured (no accelerator tag, no NVML, no energy
// counter).
type GPUReading struct {
	OK          bool
	Seconds     float64 // wall time between StartGPUMeter and Stop
	Joules      float64 // board energy over that time
	MeanWatts   float64 // Joules / Seconds
	PeakMemUsed uint64  // bytes of device memory in use, device-wide, at the highest sample
}
