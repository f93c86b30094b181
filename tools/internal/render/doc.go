// Package render writes a gate.Report as a plain-text table in
// benchstat's spirit, as GitHub-flavoured Markdown for a pull-request
// comment or job summary, or as JSON for machines.
//
// Text and Markdown show, per table and unit, one row per benchmark: the
// old and new medians with the half-width of their confidence interval in
// percent, the change, the Mann-Whitney p-value before and after Holm
// correction, Cohen's d, the sample sizes and the verdict ("~" for no
// significant change), followed by the gate's decision and the warnings.
//
// JSON encodes non-finite numbers as null (NaN: not computed) or the
// strings "+Inf" and "-Inf".
package render
