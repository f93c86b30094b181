// Package benchdata reads Go benchmark output in the benchfmt format and
// groups the measurements of an old and a new input into series, one per
// benchmark and unit, ready for an A/B comparison.
//
// Reading is strict: every line benchfmt cannot parse (a
// *benchfmt.SyntaxError), every non-finite measurement and every negative
// value of a unit that cannot be negative (NonNegative: times, sizes,
// counts per op, rates; ErrNegative) becomes an error naming the file and
// line, collected and returned together with ErrSyntax, so nothing is
// dropped silently.
//
// # Runs
//
// The process is the unit of replication: heap layout, RSS, frequency
// state and thread placement are fixed per process, so the samples of one
// process share them and are not independent. Every value therefore
// remembers its run (Series.Run, Collection.Runs, Series.ByRun):
//
//   - a result with the configuration key "run" (RunKey) belongs to the
//     run of that value in its input; tools/compare stamps every process's
//     output with "run: <round>/<side>";
//   - otherwise a new run starts at every new block of the header lines
//     the testing package prints once per process (goos, goarch, pkg,
//     cpu), so concatenated "go test" outputs are told apart. Other
//     configuration lines (per-backend settings) start no run.
//
// The run key is never a configuration difference.
//
// Grouping uses golang.org/x/perf/benchproc projections, the same
// expressions benchstat's -table, -row and -filter flags take. The default
// row projection is ".fullname", so BenchmarkPrefill/backend=ort-cpu/
// scenario=single_micro-8 is one row; "-table /backend -row /scenario"
// splits the comparison into one section per backend with one row per
// scenario. Units are benchfmt's tidied units ("ns/op" becomes "sec/op",
// "MB/s" becomes "B/s").
//
// # Degraded results
//
// A result is degraded when any of these holds:
//
//   - a configuration line "degraded: <reason>" is in effect for it (benchfmt
//     configuration applies to every later result until "degraded:" with an
//     empty value clears it);
//   - a part of its name is "degraded" or "degraded=<reason>", as in
//     BenchmarkPrefill/backend=trt/degraded=fp16-fallback;
//   - it reports the metric "degraded" with a non-zero value
//     (b.ReportMetric(1, "degraded")).
//
// The "degraded" metric is a marker, not a measurement, and forms no series.
// A series remembers the reasons per side; the gate never counts a series
// with a degraded result as an improvement.
//
// # Disturbed results
//
// The benchmarks' harness records the machine's state over every timed
// loop as metrics of package envstate (GPU clocks and throttle reasons,
// other processes on the GPU, CPU steal, load …). They are a record of the
// environment, not measurements, and form no series; Disturbed judges
// them (envstate.Judge), and a series counts per side the values whose
// result was disturbed, and why. The clock policy lines the harness
// prints (gpuN-clock-policy, cpu-governor, cpu-nominal-mhz) are machine
// keys (IsMachineKey): locked and unlocked clocks are different machines.
//
// # Values that are not measurements
//
// Reading rejects, naming file and line: non-finite values; negative
// values of units that cannot be negative; degenerate values
// (ErrDegenerate: a finite value that underflows to 0 or overflows when
// benchfmt converts it to the base unit, as 1e-320 ns/op becomes 0 s, a
// subnormal result, a magnitude beyond MaxMagnitude whose square
// overflows the statistics, a duration of zero); and a last line without
// a newline that does not read as a whole result (ErrTruncated: a syntax
// error there, a unit no other line has, or fewer units than its
// benchmark's other lines), which would otherwise become a new unit and
// lose its sample. A whole last line without a newline is read.
package benchdata
