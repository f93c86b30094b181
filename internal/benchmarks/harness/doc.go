// Package harness holds the benchmark bodies and what they share:
// Prefill, Generate and SessionCreate run every backend × scenario (for
// Generate, × generation scenario) of a Plan as sub-benchmarks (package
// benchmarks runs them on the suite's flags, the public package inferbench
// on other modules' models), a per-iteration
// timer that reports latency percentiles and throughput without
// allocating, peak-RSS measurement, the GPU meter (energy, mean power and
// peak device memory through NVML in builds with an accelerator tag),
// isolation of accelerator backends in a probe child process (Main,
// Plan.Isolate), and the benchfmt configuration lines
// that keep every result tied to the model, runtime and machine that
// produced it. The shapes benchmarks run and their inputs are package
// workload's (internal/lm/workload), shared with the backends' conformance
// tests.
package harness
