// Compare runs the Go benchmarks of a base git revision and of the working
// tree alternately on this machine, one process per side and round, each
// stamped "run: <round>/<side>", writes both outputs, prints benchstat's
// table and benchgate's verdict, and exits like benchgate (gate.ExitTable):
// 0 no regression, 1 a confirmed regression, 2 an error (bad flags, git or
// build failure, unusable output), 3 inconclusive. The status is also
// written to the file exit-status in -out, for callers behind make or
// "go run", which turn every failure into a status of their own. When the
// benchmark package does not exist at the base revision there is nothing
// to compare: it says so and exits 0.
//
// Confirm before failing: when the first stage finds regressions, compare
// re-runs only the flagged benchmarks in a second interleaved stage with
// the same binaries (into -out/confirm; -confirm-count rounds) and fails
// only if benchgate confirms them there; both stages are reported. Two
// independent stages must both fail, so a regression is reported with at
// most the product of the stages' false-alarm rates, while a real 10%
// slowdown at CV 3% is confirmed in 99.7% of seeded trials at the
// default 10 rounds (package gate's calibration).
//
// Usage:
//
//	compare -base REF [flags] [-- benchmark binary arguments]
//
// For example:
//
//	go build -o bin/compare ./tools/compare
//	bin/compare -base origin/main -bench Prefill -count 10 -- -model gpt2-124m-arch
//
// "make compare BASE=REF" builds and runs it with the variables of
// tools/compare/compare.mk. Package
// github.com/inferbench/inferbench/tools/internal/interleave explains the
// run order and why it defends against machine drift.
package main
