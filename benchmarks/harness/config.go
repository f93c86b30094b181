package harness

import (
	"fmt"
	"io"
	"runtime"
	"strings"

	"github.com/shirou/gopsutil/v4/mem"
)

// Units declares the direction of every custom metric the benchmarks
// report, as benchfmt unit metadata lines, so benchstat and benchgate know
// that more tokens per second is better.
var Units = []string{
	"Unit tok/s better=higher",
	"Unit p50-ms better=lower",
	"Unit p95-ms better=lower",
	"Unit p99-ms better=lower",
	"Unit peak-RSS-bytes better=lower",
	"Unit overhead-% better=lower",
	"Unit bare-p50-ms better=lower",
	"Unit prefill-p50-ms better=lower",
	"Unit ttft-p50-ms better=lower",
	"Unit ttft-p99-ms better=lower",
	"Unit tpot-p50-ms better=lower",
	"Unit tpot-p99-ms better=lower",
	"Unit itl-p99-ms better=lower",
	"Unit e2e-ms better=lower",
	"Unit kv-cache-bytes better=lower assume=exact",
	"Unit J/tok better=lower",
	"Unit gpu-mean-W better=lower",
	"Unit gpu-peak-mem-bytes better=lower",
	"Unit fallback-nodes better=lower",
}

// Config is an ordered list of benchfmt configuration lines.
type Config [][2]string

// Add appends key: value.
func (c *Config) Add(key, value string) { *c = append(*c, [2]string{key, value}) }

// Write prints the lines as benchfmt configuration ("key: value"). Keys are
// lower-cased and stripped of spaces; values are stripped of newlines.
func (c Config) Write(w io.Writer) {
	for _, kv := range c {
		k := strings.ToLower(strings.ReplaceAll(kv[0], " ", "-"))
		v := strings.ReplaceAll(kv[1], "\n", " ")
		fmt.Fprintf(w, "%s: %s\n", k, v)
	}
}

// Clear prints empty values for every key, which removes them from the
// configuration of later results (benchfmt's rule).
func (c Config) Clear(w io.Writer) {
	for _, kv := range c {
		fmt.Fprintf(w, "%s:\n", strings.ToLower(strings.ReplaceAll(kv[0], " ", "-")))
	}
}

// Machine describes the host and toolchain: Go version, cores, memory, the
// project revision the binary was built from (Revision), and the GPUs in
// accelerator builds. (goos, goarch, pkg and cpu are printed by the testing
// package itself.)
func Machine() Config {
	var c Config
	c.Add("go-version", runtime.Version())
	c.Add("cores", fmt.Sprint(runtime.NumCPU()))
	if vm, err := mem.VirtualMemory(); err == nil {
		c.Add("mem-total-bytes", fmt.Sprint(vm.Total))
	}
	c.Add("commit", Revision())
	return append(c, GPU()...)
}
