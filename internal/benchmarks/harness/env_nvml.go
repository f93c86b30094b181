//go:build cuda || tensorrt || webgpu

package harness

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/NVIDIA/go-nvml/pkg/nvml"

	"github.com/inferbench/inferbench/internal/envstate"
)

// nvmlReader samples GPU 0 for package envstate. onGPU records whether
// this process had loaded the CUDA driver library when the reader was
// opened (after a benchmark's warm-up): only then can it be among the
// device's processes.
type nvmlReader struct {
	dev   nvml.Device
	onGPU bool
}

// openGPUReader opens NVML on GPU 0, or says why it cannot.
func openGPUReader() (envstate.GPUReader, string) {
	if ret := nvml.Init(); ret != nvml.SUCCESS {
		return nil, "unavailable: NVML: " + nvml.ErrorString(ret)
	}
	d, ret := nvml.DeviceGetHandleByIndex(0)
	if ret != nvml.SUCCESS {
		nvml.Shutdown()
		return nil, "unavailable: NVML: GPU 0: " + nvml.ErrorString(ret)
	}
	return &nvmlReader{dev: d, onGPU: envstate.Mapped(os.DirFS("/"), "libcuda.so")}, ""
}

func nvmlErr(what string, ret nvml.Return) error {
	return fmt.Errorf("NVML %s: %s", what, nvml.ErrorString(ret))
}

// Sample reads the clocks, the clocks-event reasons, the temperature and
// the compute processes on the device. This process and its descendants
// (a torch backend's worker) are not other processes. Inside a PID
// namespace (a container) older drivers list host pids, none of which
// /proc shows as this process or its descendants: then, if this process
// loaded the CUDA driver, the listed process holding the most device
// memory is taken to be this benchmark (it holds its model's weights) and
// the rest count as other processes.
func (r *nvmlReader) Sample() (envstate.GPUSample, error) {
	var s envstate.GPUSample
	var ret nvml.Return
	var errs []error
	if s.SMMHz, ret = r.dev.GetClockInfo(nvml.CLOCK_SM); ret != nvml.SUCCESS {
		errs = append(errs, nvmlErr("SM clock", ret))
	}
	if s.MemMHz, ret = r.dev.GetClockInfo(nvml.CLOCK_MEM); ret != nvml.SUCCESS {
		errs = append(errs, nvmlErr("memory clock", ret))
	}
	if s.Reasons, ret = r.dev.GetCurrentClocksEventReasons(); ret != nvml.SUCCESS {
		errs = append(errs, nvmlErr("clocks-event reasons", ret))
	}
	if s.TempC, ret = r.dev.GetTemperature(nvml.TEMPERATURE_GPU); ret != nvml.SUCCESS {
		errs = append(errs, nvmlErr("temperature", ret))
	}
	procs, ret := r.dev.GetComputeRunningProcesses()
	if ret != nvml.SUCCESS {
		errs = append(errs, nvmlErr("compute processes", ret))
	}
	if err := errors.Join(errs...); err != nil {
		return s, err
	}
	root, self := os.DirFS("/"), os.Getpid()
	s.Others = others(procs, r.onGPU, func(pid uint32) bool { return envstate.Descends(root, int(pid), self) })
	return s, nil
}

// others drops from procs the benchmark's own processes: those mine
// reports, or, where it reports none and this process is onGPU, the one
// holding the most memory.
func others(procs []nvml.ProcessInfo, onGPU bool, mine func(pid uint32) bool) []envstate.Proc {
	own := make([]bool, len(procs))
	found := false
	for i, p := range procs {
		own[i] = mine(p.Pid)
		found = found || own[i]
	}
	if !found && onGPU && len(procs) > 0 {
		big := 0
		for i, p := range procs {
			if p.UsedGpuMemory > procs[big].UsedGpuMemory {
				big = i
			}
		}
		own[big] = true
	}
	var out []envstate.Proc
	for i, p := range procs {
		if !own[i] {
			out = append(out, envstate.Proc{PID: p.Pid, MemBytes: p.UsedGpuMemory})
		}
	}
	return out
}

func (r *nvmlReader) Close() { nvml.Shutdown() }

// clockPolicy describes how d's clocks are set, for the configuration
// line gpuN-clock-policy: applications clocks against their defaults, and
// the SM clock range of performance state P0 (where locking the clocks,
// nvidia-smi -lgc, may show: NVML has no getter for locked clocks). Only
// settings go in, no reading that moves with the load, so the line is
// the same for every process on an unchanged machine; a benchgate
// comparison treats a different line as a different machine.
func clockPolicy(d nvml.Device) string {
	var parts []string
	app, r1 := d.GetApplicationsClock(nvml.CLOCK_SM)
	appMem, r2 := d.GetApplicationsClock(nvml.CLOCK_MEM)
	def, r3 := d.GetDefaultApplicationsClock(nvml.CLOCK_SM)
	defMem, r4 := d.GetDefaultApplicationsClock(nvml.CLOCK_MEM)
	switch {
	case r1 != nvml.SUCCESS || r2 != nvml.SUCCESS:
		parts = append(parts, "applications clocks unreadable: "+nvml.ErrorString(r1))
	case r3 == nvml.SUCCESS && r4 == nvml.SUCCESS && app == def && appMem == defMem:
		parts = append(parts, fmt.Sprintf("default applications clocks sm=%d mem=%d MHz", app, appMem))
	default:
		parts = append(parts, fmt.Sprintf("applications clocks set sm=%d mem=%d MHz", app, appMem))
	}
	if lo, hi, ret := d.GetMinMaxClockOfPState(nvml.CLOCK_GRAPHICS, nvml.PSTATE_0); ret == nvml.SUCCESS {
		parts = append(parts, fmt.Sprintf("P0 sm range %d-%d MHz", lo, hi))
	}
	return strings.Join(parts, "; ")
}
