// Package interleave runs the Go benchmarks of a base git revision and of
// the working tree alternately on one machine, for an A/B comparison that
// machine drift cannot bias.
//
// Run checks the base revision out into a temporary git worktree, builds
// one test binary per side with "go test -c", and then runs them in
// rounds: old then new in even rounds, new then old in odd rounds
// (A B B A A B …). A machine that slowly heats up, a noisy neighbour that
// comes and goes, or a CPU governor that changes its mind affects both
// sides alike instead of whichever ran second; alternating the order
// within rounds also cancels the advantage of running right after the
// other binary warmed caches. Each run executes "-test.count=1", so every
// round adds one sample per benchmark to each side's output file, and is
// one process: its output is stamped "run: <round>/<side>" (the
// benchdata.RunKey configuration line), so the gate can treat processes,
// not samples, as the unit of replication.
//
// Build makes the binaries once; Bench.Run can then run several stages
// with them, such as a confirm stage that re-runs only the benchmarks a
// first stage flagged, into another directory.
//
// The binaries run in their package directories, as "go test" runs them,
// so testdata paths and git-derived configuration (the commit) are those
// of their revision.
package interleave
