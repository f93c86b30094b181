package gate

import "github.com/inferbench/inferbench/tools/internal/abtest"

// Summary describes one side of a row.
type Summary struct {
	N      int     // number of samples; 0 when the side has none
	Runs   int     // number of runs (processes) the samples came from
	Center float64 // median of the values the row was judged on (the mode for exact rows)
	Lo, Hi float64 // confidence interval of Center; ±Inf when there are too few values
}

// Row is the comparison of one benchmark in one unit.
type Row struct {
	Table string // table label, "" without -table
	Name  string // row label, such as "Prefill/backend=ort-cpu/scenario=single_micro-8"
	Unit  string // tidied unit, such as "sec/op"

	Better           Direction
	DirectionAssumed bool // the unit's direction is a guess (LowerIsBetter)
	Exact            bool // the unit is declared assume=exact and its values do not vary

	// Basis says which values the statistics below were computed on:
	// per-run medians, or the samples of too few runs.
	Basis    Basis
	Old, New Summary
	// Delta is the change of the centers in percent, new against old;
	// NaN when a side is missing, ±Inf when the old center is 0.
	Delta float64
	// P is the Mann-Whitney U p-value (0 for exact rows); NaN when a side
	// is missing.
	P float64
	// PHolm is P after Holm–Bonferroni adjustment over all tested rows
	// (P itself for exact rows); NaN for rows that were not tested.
	PHolm float64
	// Welch is Welch's t-test; its fields are NaN when it could not run.
	Welch abtest.Welch
	// D is Cohen's d, new minus old; NaN when a side is missing.
	D float64
	// MDE is the minimum detectable effect in percent of the old center:
	// the change the row's test would have detected with probability
	// Power at level Alpha/Tests (the level Holm's correction holds the
	// first rejection to), given its sizes and noise. +Inf when no
	// change could have been detected; NaN when not computed.
	MDE float64
	// PEquiv is the p-value of the equivalence test (two one-sided tests
	// within ±Threshold); NaN when not computed.
	PEquiv float64
	// WithinCV is the coefficient of variation of the samples within
	// their runs (pooled over runs and sides); NaN when no run has two
	// samples.
	WithinCV float64

	// Secondary reports a row whose unit is not Options.Primary: tested
	// in its own family, reported, never failing nor inconclusive.
	Secondary bool

	Verdict Verdict
	// Reason explains an inconclusive verdict.
	Reason string
	// Fail reports that this row fails the gate.
	Fail bool
	// Degraded lists why results on either side were degraded.
	Degraded []string
	// Disturbed says, per side, how many results the machine's state
	// disturbed and why (benchdata.Disturbed); such a row is
	// inconclusive.
	Disturbed []string
	// Warnings explain weak statistics of this row.
	Warnings []error

	vals [2][]float64 // the values the row was tested on
}

// Tested reports whether the row took part in the Holm family or was
// compared exactly.
func (r *Row) Tested() bool { return r.PHolm == r.PHolm } // not NaN

// Inconclusive reports whether the row could not be judged.
func (r *Row) Inconclusive() bool { return r.Verdict == TooFewSamples || r.Verdict == Inconclusive }

// Report is the outcome of one gate run.
type Report struct {
	Files   [2][]string // old and new input names
	Options Options
	Rows    []*Row
	// Tests is the size of the Holm family: the number of tested rows
	// that are not exact.
	Tests int
	// MinRuns is the number of runs per side from which rows were tested
	// on per-run medians (Options.Runs).
	MinRuns int
	// Runtime lists runtime configuration keys (Go, ONNX Runtime, model)
	// whose values differ between old and new; Machine lists machine keys
	// that differ, only when Options.AllowEnvDiff let them.
	Runtime, Machine []KeyDiff
	// Warnings collects every warning: the rows' and the report's own.
	Warnings []error
}

// Failures returns the rows that fail the gate.
func (r *Report) Failures() []*Row { return r.rows(func(row *Row) bool { return row.Fail }) }

// Inconclusives returns the gated rows that could not be judged.
func (r *Report) Inconclusives() []*Row {
	return r.rows(func(row *Row) bool { return !row.Secondary && row.Inconclusive() })
}

func (r *Report) rows(keep func(*Row) bool) []*Row {
	var out []*Row
	for _, row := range r.Rows {
		if keep(row) {
			out = append(out, row)
		}
	}
	return out
}

// Failed reports whether any row fails the gate.
func (r *Report) Failed() bool { return len(r.Failures()) > 0 }

// Count returns how many rows have verdict v.
func (r *Report) Count(v Verdict) int {
	return len(r.rows(func(row *Row) bool { return row.Verdict == v }))
}
