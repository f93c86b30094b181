//go:build cuda || tensorrt || webgpu

package harness

import (
	"fmt"
	"sync/atomic"
	"time"

	"github.com/NVIDIA/go-nvml/pkg/nvml"
)

// GPU describes the machine's NVIDIA GPUs through NVML (driver version, and
// each device's name and memory), for builds with an accelerator tag. Where
// NVML cannot be loaded it says so in a "gpu" line instead of guessing.
func GPU() Config {
	var c Config
	if ret := nvml.Init(); ret != nvml.SUCCESS {
		c.Add("gpu", "unknown: NVML: "+nvml.ErrorString(ret))
		return c
	}
	defer nvml.Shutdown()
	if v, ret := nvml.SystemGetDriverVersion(); ret == nvml.SUCCESS {
		c.Add("nvidia-driver", v)
	}
	n, ret := nvml.DeviceGetCount()
	if ret != nvml.SUCCESS {
		c.Add("gpu", "unknown: NVML: "+nvml.ErrorString(ret))
		return c
	}
	c.Add("gpu-count", fmt.Sprint(n))
	for i := range n {
		d, ret := nvml.DeviceGetHandleByIndex(i)
		if ret != nvml.SUCCESS {
			continue
		}
		if name, ret := d.GetName(); ret == nvml.SUCCESS {
			c.Add(fmt.Sprintf("gpu%d", i), name)
		}
		if mem, ret := d.GetMemoryInfo(); ret == nvml.SUCCESS {
			c.Add(fmt.Sprintf("gpu%d-memory-bytes", i), fmt.Sprint(mem.Total))
		}
		c.Add(fmt.Sprintf("gpu%d-clock-policy", i), clockPolicy(d))
	}
	return c
}

// GPUMeter measures GPU 0 while a benchmark's timed loop runs: the energy
// the board used (NVML's total-energy counter, read at Start and Stop),
// hence mean power, and the peak of device memory in use (all processes),
// sampled at Start, every MeterPeriod and at Stop by a goroutine.
type GPUMeter struct {
	dev      nvml.Device
	ok       bool
	energy0  uint64 // mJ
	start    time.Time
	peak     atomic.Uint64
	stop     chan struct{}
	done     chan struct{}
	initDone bool
}

// MeterPeriod is how often GPUMeter samples device memory. go-nvml
// allocates one small object per sample, which counts in the benchmark's
// allocs/op: at this period that is under 0.01 per op for ops under a
// millisecond and one per op only for ops of 100 ms.
const MeterPeriod = 100 * time.Millisecond

// StartGPUMeter starts measuring GPU 0. Where NVML or the counters are
// missing it returns a meter whose Stop reports nothing.
func StartGPUMeter() *GPUMeter {
	g := &GPUMeter{}
	if nvml.Init() != nvml.SUCCESS {
		return g
	}
	g.initDone = true
	d, ret := nvml.DeviceGetHandleByIndex(0)
	if ret != nvml.SUCCESS {
		return g
	}
	e, ret := d.GetTotalEnergyConsumption()
	if ret != nvml.SUCCESS {
		return g
	}
	g.dev, g.ok, g.energy0 = d, true, e
	g.sample()
	g.stop, g.done = make(chan struct{}), make(chan struct{})
	go g.loop()
	g.start = time.Now()
	return g
}

func (g *GPUMeter) sample() {
	if m, ret := g.dev.GetMemoryInfo(); ret == nvml.SUCCESS {
		for {
			p := g.peak.Load()
			if m.Used <= p || g.peak.CompareAndSwap(p, m.Used) {
				break
			}
		}
	}
}

func (g *GPUMeter) loop() {
	defer close(g.done)
	t := time.NewTicker(MeterPeriod)
	defer t.Stop()
	for {
		select {
		case <-g.stop:
			return
		case <-t.C:
			g.sample()
		}
	}
}

// Stop ends the measurement.
func (g *GPUMeter) Stop() GPUReading {
	if g.initDone {
		defer nvml.Shutdown()
	}
	if !g.ok {
		return GPUReading{}
	}
	el := time.Since(g.start).Seconds()
	close(g.stop)
	<-g.done
	g.sample()
	e, ret := g.dev.GetTotalEnergyConsumption()
	if ret != nvml.SUCCESS || el <= 0 {
		return GPUReading{}
	}
	j := float64(e-g.energy0) / 1000
	return GPUReading{OK: true, Seconds: el, Joules: j, MeanWatts: j / el, PeakMemUsed: g.peak.Load()}
}
