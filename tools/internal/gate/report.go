package gate

import "github.com/inferbench/inferbench/tools/internal/abtest"

// Summary describes one side of a row.
type Summary struct {
	N      int     // number of values; 0 when the side has none
	Center float64 // median (the mode for assume=exact units)
	Lo, Hi float64 // confidence interval of Center; ±Inf when n is too small
}

// Row is the comparison of one benchmark in one unit.
type Row struct {
	Table string // table label, "" without -table
	Name  string // row label, such as "Prefill/backend=ort-cpu/scenario=single_micro-8"
	Unit  string // tidied unit, such as "sec/op"

	Better           Direction
	DirectionAssumed bool // the unit's direction is a guess (LowerIsBetter)
	Exact            bool // the unit is declared assume=exact

	Old, New Summary
	// Delta is the change of the centers in percent, new against old;
	// NaN when a side is missing, ±Inf when the old center is 0.
	Delta float64
	// P is the Mann-Whitney U p-value (0 for assume=exact units); NaN
	// when a side is missing.
	P float64
	// PHolm is P after Holm–Bonferroni adjustment over all tested rows
	// (P itself for assume=exact units); NaN for rows that were not tested.
	PHolm float64
	// Welch is Welch's t-test; its fields are NaN when it could not run.
	Welch abtest.Welch
	// D is Cohen's d, new minus old; NaN when a side is missing.
	D float64

	Verdict Verdict
	// Fail reports that this row fails the gate.
	Fail bool
	// Degraded lists why results on either side were degraded.
	Degraded []string
	// Warnings explain weak statistics of this row.
	Warnings []error
}

// Tested reports whether the row took part in the Holm family.
func (r *Row) Tested() bool {
	return r.Verdict == NoChange || r.Verdict == Faster || r.Verdict == Slower || r.Verdict == Degraded
}

// Report is the outcome of one gate run.
type Report struct {
	Files   [2][]string // old and new input names
	Options Options
	Rows    []*Row
	// Tests is the size of the Holm family: the number of tested rows of
	// units that are not assume=exact.
	Tests int
	// Warnings collects every warning: the rows' and the report's own.
	Warnings []error
}

// Failures returns the rows that fail the gate.
func (r *Report) Failures() []*Row {
	var out []*Row
	for _, row := range r.Rows {
		if row.Fail {
			out = append(out, row)
		}
	}
	return out
}

// Failed reports whether any row fails the gate.
func (r *Report) Failed() bool { return len(r.Failures()) > 0 }

// Count returns how many rows have verdict v.
func (r *Report) Count(v Verdict) int {
	n := 0
	for _, row := range r.Rows {
		if row.Verdict == v {
			n++
		}
	}
	return n
}
