// Package abtest holds the two-sample statistics that benchgate adds to
// golang.org/x/perf/benchmath (median, confidence interval, Mann-Whitney U
// test): Welch's unequal-variances t-test, Cohen's d effect size and the
// pooled standard deviation, the smallest p-value an exact Mann-Whitney U
// test can reach with given sample sizes, the Holm–Bonferroni adjustment
// of a family of p-values, the minimum detectable effect of a U test
// (MDE), Schuirmann's two one-sided tests of equivalence (TOST), and the
// one-way ANOVA F test of whether several runs share one mean
// (Heterogeneity).
//
// Signs follow "new minus old": a positive t or d means the second sample
// is larger.
//
// MDE uses the normal-theory formula with Welch's degrees of freedom,
// scaled by the U test's asymptotic relative efficiency (3/π); a seeded
// simulation in the tests checks that a shift of exactly the MDE is
// detected by the exact U test in 80% ± 5% of trials at n = 8, 10 and 20
// per side.
package abtest
