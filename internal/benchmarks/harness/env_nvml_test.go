//go:build cuda || tensorrt || webgpu

package harness

import (
	"os"
	"testing"
	"time"

	"github.com/NVIDIA/go-nvml/pkg/nvml"
	"github.com/stretchr/testify/assert"

	"github.com/inferbench/inferbench/internal/backends/ort/gpulib"
	"github.com/inferbench/inferbench/internal/envstate"
)

func TestOthers(t *testing.T) {
	procs := []nvml.ProcessInfo{{Pid: 10, UsedGpuMemory: 1 << 30}, {Pid: 11, UsedGpuMemory: 3 << 30}, {Pid: 12, UsedGpuMemory: 2 << 30}}
	pids := func(ps []envstate.Proc) (out []uint32) {
		for _, p := range ps {
			out = append(out, p.PID)
		}
		return out
	}
	assert.Equal(t, []uint32{11, 12}, pids(others(procs, true, func(pid uint32) bool { return pid == 10 })), "this process")
	assert.Equal(t, []uint32{11}, pids(others(procs, true, func(pid uint32) bool { return pid != 11 })), "this process and its worker")
	assert.Equal(t, []uint32{10, 12}, pids(others(procs, true, func(uint32) bool { return false })), "other namespace: the largest is taken as ours")
	assert.Equal(t, []uint32{10, 11, 12}, pids(others(procs, false, func(uint32) bool { return false })), "not on the GPU: all are others")
	assert.Empty(t, others(nil, true, func(uint32) bool { return false }))
}

// TestEnvNVML samples GPU 0 through NVML for INFERBENCH_ENV_SECONDS
// (default 2) and logs what a benchmark would record. With
// INFERBENCH_ENV_EXPECT=disturbed (another process loading the GPU) or
// quiet it also asserts the judgement. Skipped where NVML is missing.
func TestEnvNVML(t *testing.T) {
	gpu, absent := openGPUReader()
	if gpu == nil {
		t.Skipf("no GPU to read: %s", absent)
	}
	for _, kv := range Machine() {
		t.Logf("%s: %s", kv[0], kv[1])
	}
	// A benchmark holds a context on the GPU, which is how NVML lists it;
	// so must this test, or in a container (where NVML reports host PIDs)
	// the heuristic that takes the largest listed process as ours would
	// take the neighbour.
	if err := gpulib.LoadCUDARuntime(); err == nil {
		if buf, err := gpulib.Malloc(0, 64<<20); err == nil {
			defer buf.Free()
		}
	}
	d := 2 * time.Second
	if v, err := time.ParseDuration(os.Getenv("INFERBENCH_ENV_SECONDS") + "s"); err == nil && v > 0 {
		d = v
	}
	s := envstate.Start(envstate.Options{GPU: gpu})
	time.Sleep(d)
	r := s.Stop()
	gpu.Close()
	for _, m := range r.Metrics {
		t.Logf("%g %s", m.Value, m.Unit)
	}
	for _, a := range r.Absent {
		t.Logf("absent: %s", a)
	}
	why := r.Disturbed(envstate.Default)
	t.Logf("disturbed: %q", why)
	_, ok := r.Get(envstate.SMMHz)
	assert.True(t, ok, "NVML answered: the SM clock is recorded")
	switch os.Getenv("INFERBENCH_ENV_EXPECT") {
	case "disturbed":
		assert.NotEmpty(t, why)
	case "quiet":
		assert.Empty(t, why)
	}
}
