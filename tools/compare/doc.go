// Compare runs the Go benchmarks of a base git revision and of the working
// tree alternately on this machine, writes both outputs, prints
// benchstat's table and benchgate's verdict, and exits like benchgate:
// 0 no regression, 1 a regression, 2 an error (bad flags, git or build
// failure, unusable output). When the benchmark package does not exist at
// the base revision there is nothing to compare: it says so and exits 0.
//
// Usage:
//
//	compare -base REF [flags] [-- benchmark binary arguments]
//
// For example:
//
//	go run ./tools/compare -base origin/main -bench Prefill -count 10 -- -model gpt2-124m-arch
//
// "make compare BASE=REF" runs it with the variables of
// tools/compare/compare.mk. Package
// github.com/inferbench/inferbench/tools/internal/interleave explains the
// run order and why it defends against machine drift.
package main
