// Package quantile holds the one percentile definition inferbench uses:
// nearest rank, the smallest sample with at least q·n samples at or below
// it. Latency percentiles (p50-ms, p95-ms, p99-ms), the accuracy metrics'
// KL p99 and the backends' own timing tests all read it from here, so a
// "p99" means the same thing in every report.
//
// Nearest rank never interpolates: every percentile is a value that was
// observed, which is what benchmark readers expect of p99 latency (as
// MLPerf LoadGen and llama-bench report it).
package quantile
