// Package harness holds the benchmark bodies and what they share:
// Prefill, Generate and SessionCreate run every backend × scenario (for
// Generate, × generation scenario) of a Plan as sub-benchmarks (package
// benchmarks runs them on the suite's flags, the public package inferbench
// on other modules' models), a per-iteration
// timer that reports latency percentiles and throughput without
// allocating, peak-RSS measurement, the GPU meter (energy, mean power and
// peak device memory through NVML in builds with an accelerator tag), the
// record of the machine's state over every timed loop (StartEnv,
// ReportEnv: clocks, throttling, contention, package envstate),
// isolation of accelerator backends in a probe child process (Main,
// Plan.Isolate), and the benchfmt configuration lines
// that keep every result tied to the model, runtime and machine that
// produced it. The shapes benchmarks run and their inputs are package
// workload's (internal/lm/workload), shared with the backends' conformance
// tests.
//
// Every timed loop checks the outputs it timed (Check): it cycles through
// VerifyBatches distinct input batches, and the outputs of the first, the
// middle and the last timed call are compared, with the timer stopped,
// against a baseline backend's for the same inputs under the bounds of
// the backend's precision (internal/metrics, shared with the accuracy
// gates). Results carry what was checked as metrics; wrong outputs add
// invalid:<bound> metrics and fail the run naming the result.
package harness
