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
	"Unit cpu-sec/op better=lower",
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
	"Unit verified-calls better=higher",
	"Unit top1-agree-% better=higher",
	"Unit worst-kl better=lower",
	"Unit worst-rel-l2 better=lower",
	"Unit token-agree-% better=higher",
}

// Config is an ordered list of benchfmt configuration lines.
type Config [][2]string

// Add appends key: value.
func (c *Config) Add(key, value string) { *c = append(*c, [2]string{key, value}) }

// Write prints the lines as benchfmt configuration ("key: value"). Keys are
// lower-cased and stripped of spaces; values are stripped of newlines.
func (c Config) Write(w io.Writer) {
	for _, kv := range c {
		fmt.Fprintf(w, "%s: %s\n", configKey(kv[0]), configValue(kv[1]))
	}
}

// Blocks prints configuration that holds for one block of results, such as
// one backend's session options, so that each result carries its own
// block's keys and no other's. benchfmt keeps a key's value until it is
// printed again, so starting a block prints only what changes: lines whose
// value differs from the previous block's, and empty values (benchfmt's
// rule for removing a key) for the previous block's keys that the new one
// does not set. Consecutive ONNX Runtime backends print only the options in
// which they differ, and the last block needs no resets. Every benchmark
// that reports per-backend results starts its block before them; one with
// no backend starts an empty block.
type Blocks struct{ cur Config }

// Start prints the lines that turn the previous block's configuration into
// c.
func (b *Blocks) Start(w io.Writer, c Config) {
	next := make(Config, 0, len(c))
	set := make(map[string]string, len(c))
	for _, kv := range c {
		kv = [2]string{configKey(kv[0]), configValue(kv[1])}
		next = append(next, kv)
		set[kv[0]] = kv[1]
	}
	old := make(map[string]string, len(b.cur))
	for _, kv := range b.cur {
		old[kv[0]] = kv[1]
		if _, ok := set[kv[0]]; !ok {
			fmt.Fprintf(w, "%s:\n", kv[0])
		}
	}
	for _, kv := range next {
		if v, ok := old[kv[0]]; !ok || v != kv[1] {
			fmt.Fprintf(w, "%s: %s\n", kv[0], kv[1])
		}
	}
	b.cur = next
}

func configKey(k string) string { return strings.ToLower(strings.ReplaceAll(k, " ", "-")) }

func configValue(v string) string { return strings.ReplaceAll(v, "\n", " ") }

// Machine describes the host and toolchain: Go version, cores, memory, the
// project revision the binary was built from (Revision), the CPU's clock
// policy (EnvConfig), and the GPUs and their clock policy in accelerator
// builds. (goos, goarch, pkg and cpu are printed by the testing
// package itself.)
func Machine() Config {
	var c Config
	c.Add("go-version", runtime.Version())
	c.Add("cores", fmt.Sprint(runtime.NumCPU()))
	if vm, err := mem.VirtualMemory(); err == nil {
		c.Add("mem-total-bytes", fmt.Sprint(vm.Total))
	}
	c.Add("commit", Revision())
	c = append(c, EnvConfig()...)
	return append(c, GPU()...)
}
