// Package gate decides whether a new set of Go benchmark results
// regressed against an old one, with statistics that justify the call,
// and says so only when it could have seen a regression: "could not tell"
// is its own outcome, never a pass.
//
// # Runs: the unit of replication
//
// Samples taken inside one process are not independent: heap layout,
// RSS, frequency state and thread placement are fixed per process, so
// ten samples of one process are one observation of those effects. Package
// benchdata tells each value's run (process) apart. For every benchmark ×
// unit (a benchdata.Series) Evaluate picks what to test (Row.Basis):
//
//   - RunMedians: with at least MinRuns runs per side, one value per run,
//     its median, so process-to-process variation is inside the test.
//     Runs of one sample each (make compare's layout) are tested this way
//     at any count.
//   - WithinProcess: with fewer runs, the pooled samples, labelled "within
//     one process": such a test is blind to variation between processes.
//     It is allowed only for metrics with real sample-to-sample variation.
//     A metric whose within-run coefficient of variation is below
//     MinWithinCV (default 1%) is constant within a process (peak RSS,
//     B/op, session creation): from fewer than MinRuns runs per side it
//     is never judged, whatever its change, and its row is inconclusive.
//     So are rows whose runs on one side differ more than their
//     within-run noise explains (one-way ANOVA F test, p < Alpha): there
//     the samples of a process are visibly not independent.
//   - Exact: units declared "assume=exact" whose values do not vary; the
//     medians' change alone decides, as in benchstat. Declared-exact units
//     whose values vary are tested like any other, with a warning.
//
// MinRuns defaults to the smallest R for which an exact Mann-Whitney U
// test on R+R run medians can reach p < Alpha at all: 4 at α = 0.05
// (2/C(8,4) = 0.029; 3+3 gives at best 0.1). Below it a test on run
// medians cannot reject however large the change, so the only evidence
// is within-run samples; from R on the run-level test is valid, and its
// minimum detectable effect tells whether it is strong enough.
//
// # Tests and multiple comparisons
//
// On the chosen values Evaluate computes, per side, the median and its
// confidence interval (benchmath), then the change of the medians in
// percent, the Mann-Whitney U p-value (benchmath.AssumeNothing, as
// benchstat does), Welch's t-test and Cohen's d (package abtest). All
// tested rows of one run form one family: their U-test p-values are
// Holm–Bonferroni adjusted together, so comparing 100 rows does not give
// five false alarms at α = 0.05. Rows not tested stay out of the family,
// and so do exact rows, whose p-value is 0 by assumption.
//
// # Primary and secondary metrics
//
// With Options.Primary set (benchgate -primary sec/op; tools/compare's
// default), only that unit's rows form the family and decide the exit
// status: the question asked is "did each benchmark get slower", not
// "did any of everything printed change". The other units' rows are
// tested as a family of their own and reported; a secondary row that
// would fail becomes a warning, and one that cannot be judged does not
// make the comparison inconclusive. Without a primary unit every unit
// is gated, as before.
//
// # What each row could see
//
// Row.MDE is the minimum detectable effect: the change of the mean, in
// percent of the old center, that the row's U test detects with 80%
// power (Power) at its sizes and noise (abtest.MDE), at level Alpha/m
// for a family of m rows, the level Holm holds the first rejection to,
// and never below MinEffect pooled standard deviations. Row.PEquiv is
// the p-value of two one-sided Welch tests that the means differ by less
// than ±Threshold of the old mean (abtest.TOST): below Alpha the row is
// shown equivalent. Every row must pass on its own, so the claim "all
// rows equivalent" keeps level Alpha without correction
// (intersection-union).
//
// # Verdicts
//
// A tested row is significant when its adjusted p-value is below Alpha,
// |d| ≥ MinEffect, and its median and mean moved the same way. "faster"
// and "slower" mean better and worse in the unit's direction (more tok/s
// is "faster", more B/op is "slower"):
//
//   - slower, faster: significant;
//   - degraded: it would be faster, but a result on either side is marked
//     degraded (see package benchdata); never counted as an improvement;
//   - equivalent: not significant, and shown equivalent within
//     ±Threshold;
//   - no significant change: not significant, not shown equivalent, but
//     MDE ≤ Threshold: a change of the threshold's size would have shown;
//   - inconclusive: not significant and MDE > Threshold, or not judged at
//     all (constant within a process from too few runs, runs that
//     differ, or samples the machine's state disturbed: see package
//     benchdata and package envstate);
//   - too few samples: a side has so few values that an exact U test could
//     not reach p < Alpha even for completely separated samples (fewer
//     than 4 per side at α = 0.05); also inconclusive;
//   - only in old, only in new: the benchmark is missing from one side; a
//     warning.
//
// # The gate and its exit contract
//
// A row fails when it is slower and its median moved by more than
// Threshold (default 5%). Report.Outcome maps the report to the exit
// contract of ExitTable: ExitRegression when a row fails, else
// ExitInconclusive when a row is inconclusive (unless InconclusivePass),
// else ExitPass; unusable input is ExitUnusable.
//
// MinEffect defaults to 0.5, Cohen's "medium" effect: the shift must be
// at least half a pooled standard deviation. A stable benchmark (CV ≤ 5%)
// that slowed by more than the 5% threshold has d ≥ 1, so the default
// never hides such a regression; it vetoes rows where the U test reacts
// to a rank shift that is small against a wide, outlier-ridden spread.
//
// # Environment
//
// Configuration keys that differ between old and new are sorted into
// machine keys (goos, goarch, cpu, cores, mem-total-bytes, gpu*,
// *driver*, the clock policy: gpuN-clock-policy, cpu-governor,
// cpu-nominal-mhz): results of different machines are not comparable, and
// Evaluate returns ErrMachineDiff naming them unless AllowEnvDiff;
// runtime keys (go-version, ort-*, onnxruntime*, torch*, model*,
// corpus*): comparing those is what benchmarks are for, and the report
// lists them (Report.Runtime) for the renderers to print at the top; and
// other keys, a warning. Sides whose median clocks (the environment
// metrics gpu-sm-MHz, gpu-mem-MHz, cpu-MHz) differ by more than 2% get a
// warning too.
//
// # Calibration
//
// Seeded simulations in the tests (calibration_test.go) hold the gate to
// its claims with one benchmark row per comparison, 1000 trials per case:
//
//   - A/A, identical old and new distributions, exit 1 in at most α of the
//     trials, for (a) normal noise with CV 3%, (b) lognormal noise with CV
//     3%, (c) bimodal noise (30% of samples in a mode 8% slower, 1% noise
//     in each), (d) run-level offsets, each run scaled by N(1, 5%) with
//     0.5% noise within the run, the RSS case; each with 1 run of 10
//     samples and 5 runs of 5 samples per side. Measured: exit 1 in 0.1%,
//     0.2%, 1.0%, 0% of the one-run trials (case (d) is inconclusive in
//     all of them) and 0%, 0%, 0.4%, 1.6% of the five-run trials.
//   - Power: +10% at CV 3% with make compare's defaults (10 runs of one
//     sample per side, threshold 5%) fails in at least 90% of trials
//     after the confirm stage repeats the comparison on fresh data;
//     measured 99.9% in the first stage, 99.7% confirmed.
//   - +100% at 3+3 samples, as 3 runs or as 1 run of 3, is exit 1 or 3 in
//     every trial, never 0 (measured: exit 3 in all).
//   - Families: every row must be judged and Holm makes each row's test
//     stricter as rows are added, so 24 identical rows at CV 3% pass (exit
//     0) in at least 90% of trials only from 20 runs per side (measured:
//     100% at 20, 32% at 10, the rest inconclusive), never with a false
//     alarm.
//
// # Unit direction
//
// Benchfmt unit metadata ("Unit tok/s better=higher") decides first.
// Otherwise built-in rules apply: units ending in "/s" (B/s, tok/s) are
// higher-is-better; units ending in "/op" (sec/op, B/op, allocs/op),
// units whose last "-" part is a time or size (p50-ms, p95-sec,
// peak-RSS-bytes, heap-B) and units mentioning RSS are lower-is-better
// (benchdata.IsCost). Any other unit is treated as lower-is-better,
// because most custom benchmark metrics are costs, and a warning names it
// so the benchmark author can declare it.
package gate
