// Benchgate compares two files of Go benchmark output and fails when the
// new one is slower, with statistics: per benchmark and unit the runs
// (processes) and samples per side, the medians and their confidence
// intervals, the change, Mann-Whitney U p-values before and after a
// Holm–Bonferroni correction over all comparisons, Cohen's d, the minimum
// detectable effect, the basis of the test (run medians, within one
// process, exact) and the verdict, including "equivalent" and
// "inconclusive".
//
// Usage:
//
//	benchgate [flags] old.txt new.txt [old2.txt new2.txt ...]
//
// Build it (go build -o bin/benchgate ./tools/benchgate) wherever the exit
// status matters: "go run" reports every non-zero status as 1.
//
// More than one pair gates several A/B runs at once, with one Holm
// correction over all of them: the results of each machine of a
// benchmark matrix, say. Each file is read with its own benchfmt
// configuration; give the pairs a distinguishing configuration line
// ("runner: gpu-nvidia" as the first line) and split them with
// "-table runner" so their rows stay apart.
//
// Exit status: the table of gate.ExitTable, printed by "benchgate -h": 0
// no regression and every row judged, 1 a regression, 2 unusable input,
// bad flags, or results of different machines (without -allow-env-diff),
// 3 inconclusive (with -inconclusive=pass, 0).
//
// Evidence that disappears or degenerates is unusable input (exit 2), not
// a pass: a benchmark or unit of the old file that the new one lacks (it
// vanished: skipped, crashed, renamed or filtered out) unless
// -allow-missing; a value that underflows or overflows when converted to
// its base unit (1e-320 ns/op is 0 s), is subnormal, beyond 1e100, or a
// duration of zero; a last line without a newline that does not read as
// a whole result (cut off mid-unit or missing the units its benchmark's
// other lines have). Each names its file and line. Exit 2 rather than 1:
// nothing was measured to be slower, the comparison lacks its evidence.
//
// # History
//
//	benchgate history [-threshold 0.05] [-png DIR] HISTORYDIR
//
// finds change points over many commits instead of comparing two: HISTORYDIR
// holds one benchmark output file per commit, each with "commit:" and
// "commit-seq:" (or "commit-time:") configuration lines. It reports every
// change's commit, size and direction per benchmark and unit (E-divisive
// means with a seeded permutation test), draws the series with -png, and
// exits 1 when a series' latest segment is worse than the segment before
// it by more than -threshold, including an unconfirmed change in the last
// commits ("unconfirmed, at or after <commit>"), 2 on unusable input, 3
// when inconclusive (the last commits are worse beyond -threshold but the
// series is too noisy to tell, or no series is long enough). See
// tools/internal/history for the layout and the method.
//
// See package github.com/inferbench/inferbench/tools/internal/gate for
// the statistics, verdicts and their calibration, and
// tools/internal/benchdata for how runs are told apart and the
// degraded-result convention.
package main
