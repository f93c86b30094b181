// Benchgate compares two files of Go benchmark output and fails when the
// new one is slower, with statistics: per benchmark and unit the medians
// and their confidence intervals, the change, Mann-Whitney U and Welch t
// p-values, Cohen's d, and a Holm–Bonferroni correction over all
// comparisons of the run.
//
// Usage:
//
//	benchgate [flags] old.txt new.txt [old2.txt new2.txt ...]
//
// More than one pair gates several A/B runs at once, with one Holm
// correction over all of them: the results of each machine of a
// benchmark matrix, say. Each file is read with its own benchfmt
// configuration; give the pairs a distinguishing configuration line
// ("runner: gpu-nvidia" as the first line) and split them with
// "-table runner" so their rows stay apart.
//
// Exit status: 0 no regression, 1 a regression (slower by more than
// -threshold with Holm-adjusted p < -alpha and |d| ≥ -min-effect),
// 2 unusable input (unreadable or malformed files, nothing selected,
// nothing in common) or bad flags. Warnings about weak statistics are
// printed with the report and never change the exit status.
//
// See package github.com/inferbench/inferbench/tools/internal/gate for
// the statistics and verdicts, and tools/internal/benchdata for the
// degraded-result convention.
package main
