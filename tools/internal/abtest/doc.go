// Package abtest holds the two-sample statistics that benchgate adds to
// golang.org/x/perf/benchmath (median, confidence interval, Mann-Whitney U
// test): Welch's unequal-variances t-test, Cohen's d effect size, the
// smallest p-value an exact Mann-Whitney U test can reach with given
// sample sizes, and the Holm–Bonferroni adjustment of a family of
// p-values.
//
// Signs follow "new minus old": a positive t or d means the second sample
// is larger.
package abtest
