// Package changepoint finds the commits where a noisy performance series
// shifts, with the E-divisive means method (Matteson and James, "A
// Nonparametric Approach for Multiple Change Point Analysis of Multivariate
// Data", 2014) that MongoDB's signal-processing service and Apache Otava
// (formerly Hunter) run over their nightly benchmark series.
//
// A single A/B gate compares one commit with its parent: a regression that
// arrives as 1% per commit passes every such gate. Looking at the whole
// history instead, E-divisive splits the series where the energy distance
// between the two sides,
//
//	q(τ) = m·k/n · ( 2/(m·k) Σ|xᵢ−yⱼ| − 1/C(m,2) Σ|xᵢ−xₗ| − 1/C(k,2) Σ|yⱼ−yₗ| ),
//
// is largest (m points before τ, k after, n = m+k), and repeats inside the
// segments it has made. The statistic makes no assumption about the
// distribution and is invariant to the scale of the data.
//
// Each candidate split is accepted only if a permutation test says it is
// significant: the values of every current segment are shuffled within the
// segment, the largest q over all segments is recomputed, and the p-value
// is (1 + #{permutations with q ≥ observed}) / (1 + permutations). The
// shuffles come from a PCG generator seeded by Options.Seed, so the same
// series always gives the same answer. Testing stops early, exactly, once
// so many permutations have reached the observed q that the p-value can no
// longer fall below Alpha (Besag and Clifford's sequential rule), so noise
// costs few permutations and a real shift costs all of them.
//
// What the test can detect depends on the series: with P permutations no
// p-value is below 1/(P+1), and no segment is shorter than MinSize points,
// so a shift in the last MinSize-1 commits is not yet reported. The tests
// calibrate the defaults: a +3% step at a coefficient of variation of 1%
// after 25 of 40 commits is found within one commit; pure noise yields no
// change point in at least 95% of seeds; a creep of 1% per commit over
// ten commits is reported.
package changepoint
