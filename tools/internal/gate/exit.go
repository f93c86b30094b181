package gate

// Exit statuses of benchgate and tools/compare; ExitTable explains them.
const (
	ExitPass         = 0
	ExitRegression   = 1
	ExitUnusable     = 2
	ExitInconclusive = 3
)

// ExitTable is the exit contract, as printed by "benchgate -h" and
// written in README.md (a test keeps the two equal).
const ExitTable = `| exit | meaning |
|------|---------|
| 0 | no regression, and every judged row either could have seen a change of -threshold's size (its minimum detectable effect is smaller) or was shown equivalent within ±threshold |
| 1 | regression: some row is slower by more than -threshold, significant after Holm correction, with an effect size d of at least -min-effect |
| 2 | unusable input or bad flags: unreadable, malformed or truncated files (file:line), negative or degenerate times/sizes/rates (non-finite, underflowing or overflowing when converted, zero durations), nothing selected or in common, a benchmark of old missing from new (without -allow-missing), machine configuration differs, clock policy included (without -allow-env-diff) |
| 3 | inconclusive (no regression found, but some row could not be judged: too few runs or samples, a metric constant within a process from fewer than -min-runs runs, a minimum detectable effect above -threshold, or samples the machine disturbed: GPU throttled, another process on it, CPU steal); -inconclusive=pass turns it into 0 |
`

// Outcome is the report's exit status under its options: ExitRegression
// when a row fails, else ExitInconclusive when a row is inconclusive and
// Options.InconclusivePass is false, else ExitPass.
func (r *Report) Outcome() int {
	switch {
	case r.Failed():
		return ExitRegression
	case len(r.Inconclusives()) > 0 && !r.Options.InconclusivePass:
		return ExitInconclusive
	}
	return ExitPass
}

// Confirm returns the exit status of a comparison in two stages: first
// over every benchmark, then, when first found regressions, second over
// the benchmarks first flagged, on fresh runs. Only the rows first failed
// count in second: a regression stands when second fails one of them
// too; a row that second cannot judge, or lacks, leaves the comparison
// inconclusive; first's own inconclusive rows still count. With first not
// failing, second is not consulted (it may be nil).
func Confirm(first, second *Report) int {
	if first.Outcome() != ExitRegression || second == nil {
		return first.Outcome()
	}
	again := make(map[string]*Row)
	for _, r := range second.Rows {
		again[r.Label()] = r
	}
	inconclusive := len(first.Inconclusives()) > 0
	for _, f := range first.Failures() {
		r := again[f.Label()]
		switch {
		case r == nil:
			inconclusive = true
		case r.Fail:
			return ExitRegression
		case r.Inconclusive(), r.Verdict == OnlyOld, r.Verdict == OnlyNew:
			inconclusive = true
		}
	}
	if inconclusive && !first.Options.InconclusivePass {
		return ExitInconclusive
	}
	return ExitPass
}
