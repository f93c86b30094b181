// Package history finds where benchmark results changed over many commits:
// the engine of "benchgate history DIR".
//
// # Layout
//
// DIR holds benchmark output files (benchfmt, *.txt), one per commit as
// the benchmarks print it, for example 000123-1a2b3c4.txt. Each file must
// carry the configuration line
//
//	commit: <sha>
//
// (the benchmarks print it when run inside a git checkout) with a single
// value, and one of the ordering lines
//
//	commit-seq: <n>       # e.g. git rev-list --count --first-parent HEAD
//	commit-time: <RFC 3339 time>   # e.g. git show -s --format=%cI HEAD
//
// Commits are ordered by commit-seq when every commit has one, else by
// commit-time; the file names do not matter. Several files of the same
// commit (re-runs) are pooled. A file without a commit, with several, or
// without an ordering line is an error naming the file.
//
// # Method
//
// For every benchmark × unit, the commit's value is the median over its
// runs (processes, told apart as package benchdata does) of each run's
// median result; degraded results are left out and counted in a warning. The
// series of commit values goes to package changepoint (E-divisive means,
// seeded permutation test). Many series are tested at once, so each is
// tested at Alpha divided by the number of series (Bonferroni), with
// enough permutations to reach that level: the chance that any noise-only
// series reports a change stays below Alpha.
//
// Each change is reported with its commit, the medians of the segments
// before and after it, the relative size and whether it is better or worse
// (from the unit's direction). The latest segment is a regression when
// the trailing run of worse changes (one step, or a creep of several) has
// made it worse than the segment before that run by more than Threshold:
// that is what fails the command.
//
// # The last commits
//
// E-divisive cannot end a segment with fewer than MinSize commits, so on
// its own it blamed the parent of a slow pair of trailing commits and
// never saw a slowdown at HEAD alone. A change in the last MinSize
// commits is therefore reported as "unconfirmed, at or after <commit>"
// (trailing.go): one E-divisive placed at the edge is moved to the
// least-squares split of the last commits; otherwise the last 1 to
// MinSize-1 commits are t-tested against the segment before them
// (Bonferroni over those positions, at the series' level). An
// unconfirmed regression beyond Threshold exits 1, like a confirmed one:
// on a push-triggered workflow HEAD is the commit under test, and a 2×
// slowdown there must fail the push, not wait for two more commits. A
// worse tail beyond Threshold that is not significant exits 3
// (inconclusive: the series is too noisy to tell), and the output says
// how large a change of the last commit alone the test detects with 80%
// power (TrailingResult.MDE; TestTrailingMDE checks it by simulation).
// Its false-alarm rate under noise is checked by TestTrailingNoiseCalibration.
package history
