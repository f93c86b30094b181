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
// Sequential rounds to a verdict (the default, -budget 10m): compare adds
// rounds until every benchmark's primary metric (-primary, default
// sec/op) is decided, within -threshold or a regression confirmed on
// fresh rounds, or the budget (counted from the start, builds included)
// is spent; a round that would end past the budget is not started. Each
// round runs only the benchmarks still open. Package
// github.com/inferbench/inferbench/tools/internal/sequential holds the
// anytime-valid tests, why they stay valid when the rounds stop on the
// data, and their seeded calibration. The other metrics of the same
// processes are tested as a second family that is reported and can warn
// but never fails the gate. Results of different machines are refused
// (exit 2) as in benchgate. -threads and -affinity pin the processes'
// thread count and CPUs (package quiet); both are written as
// configuration lines into the outputs and printed with the verdict.
// Both binaries are built with -trimpath (-trimpath=false turns it off),
// so that unchanged code compared with itself runs byte-identical
// binaries: otherwise the two checkouts' directories are embedded, and
// can move code and change its speed.
//
// With -budget 0 compare runs a fixed -count rounds and benchgate's
// verdict decides, with its own confirm stage:
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
//	bin/compare -base origin/main -bench Prefill -budget 10m -threads 2 -- -model gpt2-124m-arch
//
// "make compare BASE=REF" builds and runs it with the variables of
// tools/compare/compare.mk. Package
// github.com/inferbench/inferbench/tools/internal/interleave explains the
// run order and why it defends against machine drift.
package main
