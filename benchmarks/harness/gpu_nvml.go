//go:build cuda || tensorrt || webgpu

package harness

import (
	"fmt"

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
	}
	return c
}
