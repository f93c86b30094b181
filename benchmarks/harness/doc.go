// Package harness holds what the benchmark functions in package benchmarks
// share: the scenarios (batch × sequence shapes), benchmark inputs cut from
// real corpus tokens, a per-iteration timer that reports latency percentiles
// and throughput without allocating, peak-RSS measurement, and the benchfmt
// configuration lines that keep every result tied to the model, runtime and
// machine that produced it.
package harness
