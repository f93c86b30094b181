// Package chart draws the PNG figures of the report and history tools with
// gonum.org/v1/plot: latency per category with percentile whiskers,
// lines of y against x per series, and a time series with its change
// points marked. Figures are drawn deterministically (same data, same
// bytes), so generated examples can be committed.
//
// Verify is the check the tools' tests make on every figure: the file
// decodes as PNG and is not blank.
package chart
