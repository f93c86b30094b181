// Package report turns benchmark output (and optionally accuracy gate
// results) into a cross-backend report: report.md and PNG figures. It is
// the engine of tools/report.
//
// The unit of comparison is the run, the process (told apart as package
// benchdata does: by "run:" stamps or the header block every go test
// process prints): per backend × scenario, each run contributes the median
// p50-ms (falling back to sec/op) of its BenchmarkPrefill result lines —
// several with -count — as one sample. A scenario's speed-up of a backend over
// the baseline is the ratio of the samples' medians; a Mann-Whitney U test
// of the two samples gives its p-value, adjusted with Holm's method over
// every cell of the matrix, and Cliff's δ (the probability that a run of
// the backend is faster than one of the baseline minus the reverse) is its
// effect size. Cells whose adjusted p-value is not below Alpha are shown
// as not significant, with the minimum detectable effect of their test
// (abtest.MDE at Alpha/m), and never ranked; degraded results are shown, marked,
// and left out of every ranking.
//
// The report opens with a banner: VALID, or INVALID with every reason
// found — accuracy numbers for seeded or untrained weights, a model whose
// declared architecture does not match its parameter count, results from
// different machines or models in one report, accuracy results for a model
// other than the benchmarked one, sample sizes with which the tests
// cannot reach significance after the Holm correction, and compared cells
// measured while the machine was disturbed (GPU throttled or shared, CPU
// steal: package envstate; a disturbed cell outside the matrix is a
// warning). The environment table prints the clock policy and what the
// timed loops saw of the machine.
package report
