package envstate

import (
	"fmt"
	"io/fs"
	"math"
	"os"
	"sync"
	"time"
)

// Period is how often a Sampler reads the GPU between the start and the
// end of a loop. A GPU sample costs one NVML
// call per quantity (a few microseconds, a small allocation in go-nvml);
// at 10 Hz that is well under 0.1% of a core.
const Period = 100 * time.Millisecond

// Options configure a Sampler.
type Options struct {
	// GPU reads the GPU; nil when there is none to read, and GPUAbsent
	// then says why ("no NVML: …", "CPU-only build").
	GPU       GPUReader
	GPUAbsent string
	// FS is the root the /proc and /sys files are read under; nil means
	// the machine's (os.DirFS("/")).
	FS fs.FS
	// Period between samples; zero means Period.
	Period time.Duration
}

// A Sampler records the environment over one timed loop: Start before
// the loop, Stop after it.
type Sampler struct {
	o          Options
	freqDirs   []string
	stop, done chan struct{}

	mu  sync.Mutex
	gpu gpuAgg
	cpu struct {
		n        int
		sum      float64
		firstErr error
	}

	stat0    cpuTimes
	stat0Err error
	own0     uint64
	own0Err  error
}

type gpuAgg struct {
	n                      int
	smSum, memSum          float64
	smMin, memMin          uint32
	power, thermal, hwSlow int
	tempMax                uint32
	others                 int
	otherMem               uint64
	firstErr               error
}

// Start takes the first samples and starts sampling every o.Period until
// Stop.
func Start(o Options) *Sampler {
	if o.FS == nil {
		o.FS = os.DirFS("/")
	}
	if o.Period <= 0 {
		o.Period = Period
	}
	s := &Sampler{o: o, freqDirs: cpufreqDirs(o.FS), stop: make(chan struct{}), done: make(chan struct{})}
	s.stat0, s.stat0Err = readStat(o.FS)
	s.own0, s.own0Err = readOwn(o.FS)
	s.sample(true)
	// The ticker is made here, not in the goroutine, so that its
	// allocation precedes the caller's b.ResetTimer.
	go s.loop(time.NewTicker(o.Period))
	return s
}

func (s *Sampler) loop(t *time.Ticker) {
	defer close(s.done)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			s.sample(false)
		}
	}
}

// sample reads the GPU, and with cpu the CPU frequency, once. The CPU
// frequency is read at the loop's start and end only: reading every
// CPU's cpufreq file allocates, and on a many-core machine reading them
// ten times a second would show in the benchmark's allocs/op.
func (s *Sampler) sample(cpu bool) {
	var g GPUSample
	var gerr error
	if s.o.GPU != nil {
		g, gerr = s.o.GPU.Sample()
	}
	var mhz float64
	var ferr error
	if cpu && len(s.freqDirs) > 0 {
		mhz, ferr = meanCurMHz(s.o.FS, s.freqDirs)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.o.GPU != nil {
		s.gpu.add(g, gerr)
	}
	if cpu && len(s.freqDirs) > 0 {
		if ferr != nil {
			if s.cpu.firstErr == nil {
				s.cpu.firstErr = ferr
			}
		} else {
			s.cpu.n++
			s.cpu.sum += mhz
		}
	}
}

func (a *gpuAgg) add(g GPUSample, err error) {
	if err != nil {
		if a.firstErr == nil {
			a.firstErr = err
		}
		return
	}
	if a.n == 0 || g.SMMHz < a.smMin {
		a.smMin = g.SMMHz
	}
	if a.n == 0 || g.MemMHz < a.memMin {
		a.memMin = g.MemMHz
	}
	a.n++
	a.smSum += float64(g.SMMHz)
	a.memSum += float64(g.MemMHz)
	if g.Reasons&ReasonSwPowerCap != 0 {
		a.power++
	}
	if g.Reasons&(ReasonSwThermalSlowdown|ReasonHwThermalSlowdown) != 0 {
		a.thermal++
	}
	if g.Reasons&(ReasonHwSlowdown|ReasonHwPowerBrakeSlowdn) != 0 {
		a.hwSlow++
	}
	a.tempMax = max(a.tempMax, g.TempC)
	a.others = max(a.others, len(g.Others))
	var mem uint64
	for _, p := range g.Others {
		mem += p.MemBytes
	}
	a.otherMem = max(a.otherMem, mem)
}

// Metric is one recorded quantity.
type Metric struct {
	Unit  string
	Value float64
}

// Reading is what a Sampler recorded.
type Reading struct {
	// Metrics in the order of Units; a quantity that could not be read
	// is left out, never written as zero.
	Metrics []Metric
	// Absent says, per missing group of quantities, why.
	Absent []string
}

// Get returns the metric of unit, if it was recorded.
func (r Reading) Get(unit string) (float64, bool) {
	for _, m := range r.Metrics {
		if m.Unit == unit {
			return m.Value, true
		}
	}
	return 0, false
}

// Disturbed returns why the loop's environment disturbed its result
// (Judge), or nil.
func (r Reading) Disturbed(th Thresholds) []string { return Judge(r.Get, th) }

// Stop takes the last samples, ends the sampling goroutine and returns
// the reading. It does not close the GPUReader.
func (s *Sampler) Stop() Reading {
	close(s.stop)
	<-s.done
	s.sample(true)
	stat1, err1 := readStat(s.o.FS)
	own1, err2 := readOwn(s.o.FS)
	load, err3 := readLoad1(s.o.FS)

	s.mu.Lock()
	defer s.mu.Unlock()
	var r Reading
	add := func(unit string, v float64) { r.Metrics = append(r.Metrics, Metric{unit, v}) }
	g := s.gpu
	switch {
	case s.o.GPU == nil:
		r.Absent = append(r.Absent, "gpu: "+s.o.GPUAbsent)
	case g.n == 0:
		r.Absent = append(r.Absent, fmt.Sprintf("gpu: no sample could be read: %v", g.firstErr))
	default:
		n := float64(g.n)
		add(SMMHz, g.smSum/n)
		add(SMMinMHz, float64(g.smMin))
		add(MemMHz, g.memSum/n)
		add(MemMinMHz, float64(g.memMin))
		add(PowerCapPct, 100*float64(g.power)/n)
		add(ThermalPct, 100*float64(g.thermal)/n)
		add(HWSlowPct, 100*float64(g.hwSlow)/n)
		add(TempC, float64(g.tempMax))
		add(OtherProcs, float64(g.others))
		add(OtherMem, float64(g.otherMem))
	}
	switch {
	case s.stat0Err != nil || err1 != nil:
		r.Absent = append(r.Absent, fmt.Sprintf("cpu steal, iowait: /proc/stat: %v", firstErr(s.stat0Err, err1)))
	case stat1.total <= s.stat0.total:
		r.Absent = append(r.Absent, "cpu steal, iowait: /proc/stat did not advance over the loop (shorter than a clock tick)")
	default:
		dt := float64(stat1.total - s.stat0.total)
		add(StealPct, 100*float64(stat1.steal-s.stat0.steal)/dt)
		add(IOWaitPct, 100*float64(stat1.iowait-s.stat0.iowait)/dt)
		if s.own0Err != nil || err2 != nil {
			r.Absent = append(r.Absent, fmt.Sprintf("cpu other-busy: /proc/self/stat: %v", firstErr(s.own0Err, err2)))
		} else {
			busy := float64(stat1.busy-s.stat0.busy) - float64(own1-s.own0)
			add(OtherBusyPct, 100*math.Max(busy, 0)/dt)
		}
	}
	if err3 != nil {
		r.Absent = append(r.Absent, fmt.Sprintf("load1: %v", err3))
	} else {
		add(Load1, load)
	}
	switch {
	case len(s.freqDirs) == 0:
		r.Absent = append(r.Absent, "cpu-MHz: "+noCpufreq)
	case s.cpu.n == 0:
		r.Absent = append(r.Absent, fmt.Sprintf("cpu-MHz: %v", s.cpu.firstErr))
	default:
		add(CPUMHz, s.cpu.sum/float64(s.cpu.n))
	}
	return r
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}
