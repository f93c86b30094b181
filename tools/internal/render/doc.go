// Package render writes a gate.Report as a plain-text table in
// benchstat's spirit, as GitHub-flavoured Markdown for a pull-request
// comment or job summary, or as JSON for machines.
//
// All three start with the runtime (and, when allowed, machine)
// configuration that differs between old and new. Text and Markdown then
// show, per table and unit, one row per benchmark: the old and new medians
// with the half-width of their confidence interval in percent (durations
// in a scaled unit, 5.342 ms or 812.0 µs), the change, the Mann-Whitney
// p-value before and after Holm correction, Cohen's d, the minimum
// detectable effect, runs and samples per side, the basis of the test and
// the verdict ("~" for no significant change, "equivalent (±5%)",
// "inconclusive: <reason>"), followed by the gate's decision with its exit
// status and the warnings. JSON carries the same per row, and the exit
// status and outcome of the report.
//
// JSON encodes non-finite numbers as null (NaN: not computed) or the
// strings "+Inf" and "-Inf".
package render
