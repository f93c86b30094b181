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
package history
