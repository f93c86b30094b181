// Package envstate records the state of the machine while a benchmark's
// timed loop runs, and judges whether that state disturbed the result.
//
// A number measured while the GPU was power-capped or thermally slowed,
// while another process shared the device, or while the hypervisor stole
// the CPU, describes the machine more than the code. The harness
// (internal/benchmarks/harness) starts a Sampler before each timed loop and stops it
// after; the Reading becomes per-result benchfmt metrics (Units), which
// benchstat keeps and the tools read back:
//
//   - GPU, through a GPUReader (NVML in accelerator builds): SM and memory
//     clocks (mean and minimum over the samples), the share of samples in
//     which each disturbing clocks-event reason was active (power cap,
//     thermal slowdown, hardware slowdown or power brake), the highest
//     temperature, and the other processes on the device and their memory;
//   - CPU, from /proc and /sys: steal and iowait over the loop (/proc/stat
//     deltas), the share of CPU time other processes used, the 1-minute
//     load average at the end, and the mean current frequency (at the
//     start and the end) where cpufreq is readable.
//
// What does not change within a process — the GPU's clock policy
// (applications clocks, user-capped clocks), the CPU frequency governor and
// nominal frequency — goes into configuration lines (Static), and so does
// the reason for every reading that is absent: a missing reading is never
// written as zero.
//
// Judge turns a result's metrics into the reasons it is disturbed (see
// Thresholds). The harness marks such a result with the metric
// "env-disturbed" (DisturbedUnit) and logs the reasons; the tools re-derive
// the reasons from the recorded metrics with the same function, so a report
// and a gate agree with the benchmark about what was disturbed.
package envstate
