package gate

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/aclements/go-moremath/stats"
	"golang.org/x/perf/benchmath"

	"github.com/inferbench/inferbench/tools/internal/abtest"
	"github.com/inferbench/inferbench/tools/internal/benchdata"
)

var (
	// ErrNoSeries reports that no benchmark was selected.
	ErrNoSeries = errors.New("no benchmark selected")
	// ErrNothingInCommon reports that no benchmark is in both inputs.
	ErrNothingInCommon = errors.New("no benchmark in both inputs")
)

// Evaluate compares the old and new sides of every series in c.
func Evaluate(c *benchdata.Collection, o Options) (*Report, error) {
	if err := o.validate(); err != nil {
		return nil, err
	}
	series := c.Series()
	if len(series) == 0 {
		return nil, fmt.Errorf("%s vs %s: %w", files(c.Files[0]), files(c.Files[1]), ErrNoSeries)
	}
	rep := &Report{Files: c.Files, Options: o}
	if diff := c.ConfigDiff(); len(diff) > 0 {
		rep.Warnings = append(rep.Warnings, fmt.Errorf("old and new configurations differ in %v: are they comparable?", diff))
	}
	rep.Warnings = append(rep.Warnings, c.Warnings...)
	th := &benchmath.Thresholds{CompareAlpha: o.Alpha}
	unknown := make(map[string]bool)
	var tested []*Row
	for _, s := range series {
		row := measure(c, s, o, th)
		rep.Rows = append(rep.Rows, row)
		if row.DirectionAssumed && !unknown[row.Unit] {
			unknown[row.Unit] = true
			rep.Warnings = append(rep.Warnings, fmt.Errorf("unit %s: direction unknown, assuming lower is better (declare it with a line \"Unit %s better=higher\" or \"better=lower\")", row.Unit, row.Unit))
		}
		if row.Tested() {
			tested = append(tested, row)
		}
	}
	if rep.Count(OnlyOld)+rep.Count(OnlyNew) == len(rep.Rows) {
		return nil, fmt.Errorf("%s vs %s: %w (%d only in old, %d only in new)",
			files(c.Files[0]), files(c.Files[1]), ErrNothingInCommon, rep.Count(OnlyOld), rep.Count(OnlyNew))
	}
	rep.Tests = decide(tested, o)
	rep.Warnings = append(rep.Warnings, rowWarnings(rep.Rows)...)
	if w := powerWarning(tested, rep.Tests, o.Alpha); w != nil {
		rep.Warnings = append(rep.Warnings, w)
	}
	return rep, nil
}

func files(names []string) string { return strings.Join(names, ",") }

// Label names the row in messages: table, name and unit.
func (r *Row) Label() string {
	l := r.Name + " " + r.Unit
	if r.Table != "" {
		l = r.Table + " " + l
	}
	return l
}

// rowWarnings prefixes each row's warnings with the row's label, except
// that a message shared by more than three rows is reported once, with
// the number of rows: short samples otherwise repeat the same sentence
// for every benchmark and unit.
func rowWarnings(rows []*Row) []error {
	type group struct {
		first error
		rows  []*Row
	}
	var order []string
	groups := make(map[string]*group)
	for _, row := range rows {
		for _, w := range row.Warnings {
			g := groups[w.Error()]
			if g == nil {
				g = &group{first: w}
				groups[w.Error()] = g
				order = append(order, w.Error())
			}
			g.rows = append(g.rows, row)
		}
	}
	var out []error
	for _, msg := range order {
		g := groups[msg]
		if len(g.rows) > 3 {
			out = append(out, fmt.Errorf("%d rows (%s, …): %w", len(g.rows), g.rows[0].Label(), g.first))
			continue
		}
		for _, row := range g.rows {
			out = append(out, fmt.Errorf("%s: %w", row.Label(), g.first))
		}
	}
	return out
}

// measure computes everything but the Holm adjustment and the verdict of
// tested rows.
func measure(c *benchdata.Collection, s *benchdata.Series, o Options, th *benchmath.Thresholds) *Row {
	nan := math.NaN()
	row := &Row{
		Table: s.Table(), Name: s.Name(), Unit: s.Key.Unit,
		Delta: nan, P: nan, PHolm: nan, D: nan,
		Welch: abtest.Welch{T: nan, DF: nan, P: nan},
	}
	var known bool
	row.Better, known = UnitDirection(c.Units, row.Unit)
	row.DirectionAssumed = !known
	assumption := c.Units.GetAssumption(row.Unit)
	row.Exact = assumption == benchmath.AssumeExact

	var samples [2]*benchmath.Sample
	sums := [2]*Summary{&row.Old, &row.New}
	for _, side := range []benchdata.Side{benchdata.Old, benchdata.New} {
		for _, r := range s.Degraded[side] {
			row.Degraded = append(row.Degraded, fmt.Sprintf("%s: %s", side, r))
		}
		if v := s.Varies(side); len(v) > 0 {
			row.Warnings = append(row.Warnings, fmt.Errorf("%s: benchmarks vary in %v", side, v))
		}
		vals := s.Values[side]
		if len(vals) == 0 {
			continue
		}
		samples[side] = benchmath.NewSample(slices.Clone(vals), th)
		sum := assumption.Summary(samples[side], o.Confidence)
		*sums[side] = Summary{N: len(vals), Center: sum.Center, Lo: sum.Lo, Hi: sum.Hi}
		for _, w := range sum.Warnings {
			row.Warnings = append(row.Warnings, fmt.Errorf("%s: %w", side, w))
		}
	}
	switch {
	case samples[benchdata.Old] == nil:
		row.Verdict = OnlyNew
		row.Warnings = append(row.Warnings, errors.New("only in new: added, or renamed?"))
		return row
	case samples[benchdata.New] == nil:
		row.Verdict = OnlyOld
		row.Warnings = append(row.Warnings, errors.New("only in old: removed, renamed, or skipped in new?"))
		return row
	}
	oldV, newV := s.Values[benchdata.Old], s.Values[benchdata.New]
	row.Delta = pctChange(row.Old.Center, row.New.Center)
	cmp := assumption.Compare(samples[benchdata.Old], samples[benchdata.New])
	row.P = cmp.P
	row.D, _ = abtest.CohenD(oldV, newV) // both sides are non-empty
	if w, err := abtest.WelchTTest(oldV, newV); err == nil {
		row.Welch = w
	}
	if !row.Exact && abtest.MinUTestP(len(oldV), len(newV)) >= o.Alpha {
		row.Verdict = TooFewSamples
		row.Warnings = append(row.Warnings, fmt.Errorf("too few samples (n=%d+%d): a Mann-Whitney U test cannot reach p < %v; run more (-count)",
			len(oldV), len(newV), o.Alpha))
		return row
	}
	for _, w := range cmp.Warnings {
		if !errors.Is(w, stats.ErrSamplesEqual) { // identical constant samples: no change, for sure
			row.Warnings = append(row.Warnings, w)
		}
	}
	return row
}

// decide Holm-adjusts the tested rows' p-values and gives their verdicts.
// Rows of assume=exact units make no statistical test (their p is 0 by
// assumption) and stay out of the family.
func decide(tested []*Row, o Options) int {
	var family []*Row
	var ps []float64
	for _, r := range tested {
		r.PHolm = r.P
		if !r.Exact {
			family = append(family, r)
			ps = append(ps, r.P)
		}
	}
	for i, adj := range abtest.Holm(ps) {
		family[i].PHolm = adj
	}
	for _, row := range tested {
		adj := row.PHolm
		dir := float64(row.Better)
		change := (row.New.Center - row.Old.Center) * dir // > 0: better
		significant := adj < o.Alpha && math.Abs(row.D) >= o.MinEffect
		switch {
		case !significant || change == 0:
			row.Verdict = NoChange
		case change*row.D*dir < 0:
			row.Verdict = NoChange
			row.Warnings = append(row.Warnings, errors.New("median and mean moved in opposite directions: no verdict"))
		case change < 0:
			row.Verdict = Slower
			row.Fail = math.Abs(row.Delta) > 100*o.Threshold
		case len(row.Degraded) > 0:
			row.Verdict = Degraded
			row.Warnings = append(row.Warnings, fmt.Errorf("degraded (%v): not counted as an improvement", row.Degraded))
		default:
			row.Verdict = Faster
		}
	}
	return len(family)
}

// pctChange returns the change from old to new in percent.
func pctChange(old, new float64) float64 {
	switch {
	case old == new:
		return 0
	case old == 0:
		return math.Copysign(math.Inf(1), new)
	}
	return (new/old - 1) * 100
}

// powerWarning reports tested rows whose sample sizes cannot reach
// significance on their own after Holm's correction over the family.
func powerWarning(tested []*Row, family int, alpha float64) error {
	m := float64(family)
	weak := 0
	for _, r := range tested {
		if !r.Exact && abtest.MinUTestP(r.Old.N, r.New.N)*m >= alpha {
			weak++
		}
	}
	if weak == 0 {
		return nil
	}
	need := 2
	for abtest.MinUTestP(need, need)*m >= alpha && need < 1000 {
		need++
	}
	return fmt.Errorf("%d of %d tested rows have too few samples to be significant after Holm correction over %d comparisons unless other rows are; n ≥ %d per side would suffice",
		weak, family, family, need)
}
