package envstate

import (
	"fmt"
	"strings"
)

// The metric units a Reading reports (benchfmt units; one value per
// result).
const (
	SMMHz        = "gpu-sm-MHz"          // mean SM clock over the samples
	SMMinMHz     = "gpu-sm-min-MHz"      // lowest SM clock sampled
	MemMHz       = "gpu-mem-MHz"         // mean memory clock
	MemMinMHz    = "gpu-mem-min-MHz"     // lowest memory clock sampled
	PowerCapPct  = "gpu-power-cap-%"     // samples with the software power cap active
	ThermalPct   = "gpu-thermal-%"       // samples with a software or hardware thermal slowdown
	HWSlowPct    = "gpu-hw-slowdown-%"   // samples with a hardware slowdown or power brake
	TempC        = "gpu-temp-C"          // highest GPU temperature sampled
	OtherProcs   = "gpu-other-procs"     // most other processes seen on the device at once
	OtherMem     = "gpu-other-mem-bytes" // most device memory those processes held
	StealPct     = "cpu-steal-%"         // CPU time stolen by the hypervisor over the loop
	IOWaitPct    = "cpu-iowait-%"        // CPU time idle waiting for I/O over the loop
	OtherBusyPct = "cpu-other-busy-%"    // CPU time used by other processes over the loop
	Load1        = "load1"               // 1-minute load average at the loop's end
	CPUMHz       = "cpu-MHz"             // mean current CPU frequency over the samples

	// DisturbedUnit is the marker metric of a disturbed result: 1 when
	// Judge gave reasons. Like "degraded" it is a marker, not a
	// measurement.
	DisturbedUnit = "env-disturbed"
)

// Units lists every metric unit of this package, the marker included, in
// the order a Reading reports them.
var Units = []string{SMMHz, SMMinMHz, MemMHz, MemMinMHz, PowerCapPct, ThermalPct, HWSlowPct, TempC,
	OtherProcs, OtherMem, StealPct, IOWaitPct, OtherBusyPct, Load1, CPUMHz, DisturbedUnit}

// IsUnit reports whether unit is one of this package's metrics: a record
// of the environment, not a measurement of the code, which comparisons
// must not treat as a benchmark series.
func IsUnit(unit string) bool {
	for _, u := range Units {
		if u == unit {
			return true
		}
	}
	return false
}

// Thresholds say when a result counts as disturbed.
type Thresholds struct {
	// ThrottlePct: a GPU clocks-event reason (power cap, thermal, hardware
	// slowdown) active in more than this percentage of the samples. Zero:
	// any sample.
	ThrottlePct float64
	// StealPct: CPU steal above this percentage of all CPU time over the
	// loop.
	StealPct float64
}

// Default are the thresholds the harness and the tools use. Any GPU
// throttling counts: NVML reports a reason only while it holds the clocks
// down, and a loop sampled at 10 Hz that catches one has lost clock speed
// for at least part of its time. Steal counts above 5% of the machine's
// CPU time: below that, the noise of a quiet shared VM (this project's
// 2-core development box shows under 1%); above it, a CPU-bound loop
// loses a twentieth of its cycles to other tenants, comparable to the
// changes a gate is asked to detect.
var Default = Thresholds{ThrottlePct: 0, StealPct: 5}

// Judge returns why a result whose metrics get returns was disturbed, in
// a fixed order; nil when it was not, or when nothing was recorded.
func Judge(get func(unit string) (float64, bool), th Thresholds) []string {
	var why []string
	for _, r := range []struct{ unit, name string }{
		{PowerCapPct, "gpu power cap"}, {ThermalPct, "gpu thermal slowdown"}, {HWSlowPct, "gpu hw slowdown"},
	} {
		if v, ok := get(r.unit); ok && v > th.ThrottlePct {
			why = append(why, fmt.Sprintf("%s in %.0f%% of samples", r.name, v))
		}
	}
	if v, ok := get(OtherProcs); ok && v > 0 {
		s := fmt.Sprintf("%.0f other process(es) on the gpu", v)
		if m, ok := get(OtherMem); ok && m > 0 {
			s += fmt.Sprintf(" holding %.0f MiB", m/(1<<20))
		}
		why = append(why, s)
	}
	if v, ok := get(StealPct); ok && v > th.StealPct {
		why = append(why, fmt.Sprintf("cpu steal %.1f%% > %g%%", v, th.StealPct))
	}
	return why
}

// JudgeValues is Judge over a result's (unit, value) pairs, as benchfmt
// holds them; a unit given twice keeps its last value.
func JudgeValues(units []string, values []float64, th Thresholds) []string {
	return Judge(func(unit string) (float64, bool) {
		for i := len(units) - 1; i >= 0; i-- {
			if units[i] == unit {
				return values[i], true
			}
		}
		return 0, false
	}, th)
}

// Summary joins reasons for a configuration value or a message.
func Summary(why []string) string { return strings.Join(why, "; ") }
