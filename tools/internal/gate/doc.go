// Package gate decides whether a new set of Go benchmark results
// regressed against an old one, with statistics that justify the call.
//
// For every benchmark × unit (a benchdata.Series) Evaluate computes, per
// side, n, the median and its confidence interval (benchmath), then the
// change of the medians in percent, the Mann-Whitney U p-value
// (benchmath.AssumeNothing, as benchstat does), Welch's t-test p-value and
// Cohen's d (package abtest). Units declared "assume=exact" in benchfmt
// unit metadata use benchmath.AssumeExact instead, again as benchstat does.
//
// # Multiple comparisons
//
// All tested rows of one run form one family: their U-test p-values are
// Holm–Bonferroni adjusted together, so comparing 100 benchmark × unit
// rows does not give five false alarms at α = 0.05. Rows with too few
// samples are not tested and stay out of the family, and so do rows of
// assume=exact units, whose p-value is 0 by assumption: for them the
// threshold and the effect size decide. Identical distributions are called
// significant in 4.3% of seeded runs with one row and 3.6% with twenty
// rows per run (n=10, CV 3%; see TestFalsePositiveRate).
//
// # Verdicts
//
// A row is significant when its adjusted p-value is below Alpha and
// |d| ≥ MinEffect. "faster" and "slower" mean better and worse in the
// unit's direction (more tok/s is "faster", more B/op is "slower"):
//
//   - faster, slower: significant, medians and means moved the same way;
//   - no significant change: anything else that was tested;
//   - too few samples: a side has so few values that an exact
//     Mann-Whitney test could not reach p < Alpha even for completely
//     separated samples (fewer than 4 per side at α = 0.05); a warning,
//     never a pass of a test that did not happen;
//   - only in old, only in new: the benchmark is missing from one side
//     (renamed, removed, or skipped); a warning;
//   - degraded: it would be faster, but a result on either side is marked
//     degraded (see package benchdata), and a degraded run never counts as
//     an improvement. A degraded row that is slower stays slower.
//
// # The gate
//
// A row fails the gate when it is slower and its median moved by more
// than Threshold (default 5%). Report.Failed is true when any row fails.
// Weak statistics (too few samples, rows that cannot reach significance
// after correction, unknown unit directions, infinite confidence
// intervals, configuration that differs between the inputs) are warnings.
//
// MinEffect defaults to 0.5, Cohen's "medium" effect: the shift must be
// at least half a pooled standard deviation. A stable benchmark (CV ≤ 5%)
// that slowed by more than the 5% threshold has d ≥ 1, so the default
// never hides such a regression; it vetoes rows where the U test reacts
// to a rank shift that is small against a wide, outlier-ridden spread,
// the benchmarks whose "regressions" do not reproduce.
//
// # Unit direction
//
// Benchfmt unit metadata ("Unit tok/s better=higher") decides first.
// Otherwise built-in rules apply: units ending in "/s" (B/s, tok/s) are
// higher-is-better; units ending in "/op" (sec/op, B/op, allocs/op),
// units whose last "-" part is a time or size (p50-ms, p95-sec,
// peak-RSS-bytes, heap-B) and units mentioning RSS are lower-is-better.
// Any other unit is treated as lower-is-better, because most custom
// benchmark metrics are costs, and a warning names it so the benchmark
// author can declare it.
package gate
