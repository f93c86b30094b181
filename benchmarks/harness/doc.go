// Package harness holds what the benchmark functions in package benchmarks
// share: a per-iteration timer that reports latency percentiles and
// throughput without allocating, peak-RSS measurement, and the benchfmt
// configuration lines that keep every result tied to the model, runtime and
// machine that produced it. The shapes benchmarks run and their inputs are
// package workload's (fixtures/workload), shared with the backends'
// conformance tests.
package harness
