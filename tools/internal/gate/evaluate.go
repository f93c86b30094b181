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
	// ErrNoPrimary reports that no benchmark has the primary unit.
	ErrNoPrimary = errors.New("no benchmark reports the primary unit")
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
	rep := &Report{Files: c.Files, Options: o, MinRuns: o.Runs()}
	if err := checkEnvironment(c, rep); err != nil {
		return nil, err
	}
	rep.Warnings = append(rep.Warnings, c.Warnings...)
	th := &benchmath.Thresholds{CompareAlpha: o.Alpha}
	unknown := make(map[string]bool)
	var tested, secondary []*Row
	primaries := 0
	for _, s := range series {
		row := measure(c, s, o, rep.MinRuns, th)
		row.Secondary = o.Primary != "" && row.Unit != o.Primary
		if !row.Secondary {
			primaries++
		}
		rep.Rows = append(rep.Rows, row)
		if row.DirectionAssumed && !unknown[row.Unit] {
			unknown[row.Unit] = true
			rep.Warnings = append(rep.Warnings, fmt.Errorf("unit %s: direction unknown, assuming lower is better (declare it with a line \"Unit %s better=higher\" or \"better=lower\")", row.Unit, row.Unit))
		}
		switch {
		case row.Tested() && row.Secondary:
			secondary = append(secondary, row)
		case row.Tested():
			tested = append(tested, row)
		}
	}
	if primaries == 0 {
		return nil, fmt.Errorf("%s vs %s: %w %s (-primary; empty gates every unit)", files(c.Files[0]), files(c.Files[1]), ErrNoPrimary, o.Primary)
	}
	if rep.Count(OnlyOld)+rep.Count(OnlyNew) == len(rep.Rows) {
		return nil, fmt.Errorf("%s vs %s: %w (%d only in old, %d only in new)",
			files(c.Files[0]), files(c.Files[1]), ErrNothingInCommon, rep.Count(OnlyOld), rep.Count(OnlyNew))
	}
	if err := vanished(rep.Rows, series, o); err != nil {
		return nil, err
	}
	rep.Tests = decide(tested, o)
	decideSecondary(secondary, o)
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
// tested rows, and gives untested rows their verdict.
func measure(c *benchdata.Collection, s *benchdata.Series, o Options, minRuns int, th *benchmath.Thresholds) *Row {
	nan := math.NaN()
	row := &Row{
		Table: s.Table(), Name: s.Name(), Unit: s.Key.Unit,
		Delta: nan, P: nan, PHolm: nan, D: nan, MDE: nan, PEquiv: nan, WithinCV: nan,
		Welch: abtest.Welch{T: nan, DF: nan, P: nan},
	}
	var known bool
	row.Better, known = UnitDirection(c.Units, row.Unit)
	row.DirectionAssumed = !known

	var runs [2][][]float64
	for _, side := range []benchdata.Side{benchdata.Old, benchdata.New} {
		for _, r := range s.Degraded[side] {
			row.Degraded = append(row.Degraded, fmt.Sprintf("%s: %s", side, r))
		}
		if n := s.Disturbed[side]; n > 0 {
			row.Disturbed = append(row.Disturbed, fmt.Sprintf("%s: %d of %d results (%s)", side, n, len(s.Values[side]), strings.Join(s.DisturbedWhy[side], "; ")))
		}
		if v := s.Varies(side); len(v) > 0 {
			row.Warnings = append(row.Warnings, fmt.Errorf("%s: benchmarks vary in %v", side, v))
		}
		runs[side] = s.ByRun(side)
	}
	row.Old.N, row.New.N = len(s.Values[benchdata.Old]), len(s.Values[benchdata.New])
	row.Old.Runs, row.New.Runs = len(runs[benchdata.Old]), len(runs[benchdata.New])
	if row.Old.N == 0 || row.New.N == 0 {
		for side, sum := range [2]*Summary{&row.Old, &row.New} {
			if sum.N > 0 {
				s := c.Units.GetAssumption(row.Unit).Summary(benchmath.NewSample(slices.Clone(s.Values[side]), th), o.Confidence)
				sum.Center, sum.Lo, sum.Hi = s.Center, s.Lo, s.Hi
			}
		}
	}
	switch {
	case row.Old.N == 0:
		row.Verdict = OnlyNew
		row.Warnings = append(row.Warnings, errors.New("only in new: added, or renamed?"))
		return row
	case row.New.N == 0:
		row.Verdict = OnlyOld
		row.Warnings = append(row.Warnings, errors.New("only in old: removed, renamed, or skipped in new?"))
		return row
	}
	row.WithinCV = withinCV(runs)

	// Choose what to judge on.
	assumption := c.Units.GetAssumption(row.Unit)
	var vals [2][]float64
	switch {
	case assumption == benchmath.AssumeExact && constant(s.Values[benchdata.Old]) && constant(s.Values[benchdata.New]):
		row.Basis, row.Exact = Exact, true
		vals = s.Values
	case assumption == benchmath.AssumeExact:
		row.Warnings = append(row.Warnings, errors.New("declared assume=exact, but its values vary: compared statistically"))
		assumption = benchmath.AssumeNothing
		fallthrough
	default:
		if min(row.Old.Runs, row.New.Runs) >= minRuns || (singletons(runs[0]) && singletons(runs[1])) {
			row.Basis = RunMedians
			vals = [2][]float64{medians(runs[0]), medians(runs[1])}
		} else {
			row.Basis = WithinProcess
			vals = s.Values
		}
	}

	var samples [2]*benchmath.Sample
	sums := [2]*Summary{&row.Old, &row.New}
	for side := range vals {
		samples[side] = benchmath.NewSample(slices.Clone(vals[side]), th)
		sum := assumption.Summary(samples[side], o.Confidence)
		sums[side].Center, sums[side].Lo, sums[side].Hi = sum.Center, sum.Lo, sum.Hi
		for _, w := range sum.Warnings {
			row.Warnings = append(row.Warnings, fmt.Errorf("%s: %w", benchdata.Side(side), w))
		}
	}
	oldV, newV := vals[benchdata.Old], vals[benchdata.New]
	row.Delta = pctChange(row.Old.Center, row.New.Center)
	cmp := assumption.Compare(samples[benchdata.Old], samples[benchdata.New])
	row.P = cmp.P
	row.D, _ = abtest.CohenD(oldV, newV) // both sides are non-empty
	if w, err := abtest.WelchTTest(oldV, newV); err == nil {
		row.Welch = w
	}
	if row.Exact {
		row.PHolm = row.P
		row.MDE = 0
		row.PEquiv = 1
		if math.Abs(row.Delta) <= 100*o.Threshold {
			row.PEquiv = 0
		}
		return row
	}
	if len(row.Disturbed) > 0 {
		// Not tested: its samples mix the code's speed with the machine's.
		row.Basis, row.Verdict, row.Reason = NotJudged, Inconclusive, "environment disturbed"
		row.Warnings = append(row.Warnings, fmt.Errorf("inconclusive: the machine's state disturbed part of its samples (%s): a change cannot be told from the disturbance; rerun on a quiet machine, with clocks locked (see README)",
			strings.Join(row.Disturbed, "; ")))
		return row
	}
	if short, why := notJudgeable(row, runs, o, minRuns); why != "" {
		row.Basis, row.Verdict, row.Reason = NotJudged, Inconclusive, short
		row.Warnings = append(row.Warnings, fmt.Errorf("inconclusive: %s", why))
		return row
	}
	if abtest.MinUTestP(len(oldV), len(newV)) >= o.Alpha {
		row.Verdict = TooFewSamples
		what := fmt.Sprintf("samples (n=%d+%d)", len(oldV), len(newV))
		if row.Basis == RunMedians {
			what = fmt.Sprintf("runs (%d+%d)", len(oldV), len(newV))
		}
		row.Reason = "too few " + what
		row.Warnings = append(row.Warnings, fmt.Errorf("too few %s: a Mann-Whitney U test cannot reach p < %v; run more processes (make compare COMPARE_COUNT, or more go test runs)",
			what, o.Alpha))
		return row
	}
	row.vals = vals
	row.PEquiv = equivalence(oldV, newV, o.Threshold)
	row.PHolm = row.P // adjusted in decide
	for _, w := range cmp.Warnings {
		if !errors.Is(w, stats.ErrSamplesEqual) { // identical constant samples: no change, for sure
			row.Warnings = append(row.Warnings, w)
		}
	}
	return row
}

// notJudgeable returns, briefly and in full, why a row judged on the
// samples of fewer than minRuns runs per side cannot be judged at all,
// or "", "".
func notJudgeable(row *Row, runs [2][][]float64, o Options, minRuns int) (short, why string) {
	if row.Basis != WithinProcess {
		return "", ""
	}
	if cv := row.WithinCV; cv == cv && cv < o.MinWithinCV {
		return "constant within a process", fmt.Sprintf("constant within a process (within-run variation %.3g%% < %g%%), and %d+%d runs cannot show how much it varies between processes; need ≥ %d runs per side",
			100*cv, 100*o.MinWithinCV, row.Old.Runs, row.New.Runs, minRuns)
	}
	for side, groups := range runs {
		if p, err := abtest.Heterogeneity(groups); err == nil && p < o.Alpha {
			return "runs differ", fmt.Sprintf("the %d %s runs differ by more than their within-run noise (F test p=%.2g): samples of one process are not independent; need ≥ %d runs per side",
				len(groups), benchdata.Side(side), p, minRuns)
		}
	}
	return "", ""
}

// minDetectable returns the row's minimum detectable effect in percent of
// its old center, at level alpha.
func minDetectable(row *Row, alpha, minEffect float64) float64 {
	oldV, newV := row.vals[0], row.vals[1]
	abs, err := abtest.MDE(oldV, newV, alpha, Power)
	if err != nil {
		return math.NaN()
	}
	// A change must also reach |d| ≥ MinEffect to be significant.
	if sd := abtest.PooledSD(oldV, newV); minEffect*sd > abs {
		abs = minEffect * sd
	}
	if abs == 0 {
		return 0
	}
	return 100 * abs / math.Abs(row.Old.Center)
}

// equivalence returns the p-value of the test of equivalence of the means
// within ±threshold of the old mean; NaN when it cannot run.
func equivalence(oldV, newV []float64, threshold float64) float64 {
	mean := 0.0
	for _, v := range oldV {
		mean += v
	}
	mean /= float64(len(oldV))
	p, err := abtest.TOST(oldV, newV, threshold*math.Abs(mean))
	if err != nil {
		return math.NaN()
	}
	return p
}

// decide Holm-adjusts the tested rows' p-values and gives their verdicts.
// Exact rows make no statistical test (their p is 0 by assumption) and
// stay out of the family.
func decide(tested []*Row, o Options) int {
	var family []*Row
	var ps []float64
	for _, r := range tested {
		if !r.Exact {
			family = append(family, r)
			ps = append(ps, r.P)
		}
	}
	for i, adj := range abtest.Holm(ps) {
		family[i].PHolm = adj
		// Holm compares the smallest p-value with α/m: at that level
		// the row is sure to be detectable, whatever the others do.
		family[i].MDE = minDetectable(family[i], o.Alpha/float64(len(family)), o.MinEffect)
	}
	for _, row := range tested {
		dir := float64(row.Better)
		change := (row.New.Center - row.Old.Center) * dir // > 0: better
		significant := row.PHolm < o.Alpha && math.Abs(row.D) >= o.MinEffect && change != 0
		if significant && change*row.D*dir < 0 {
			significant = false
			row.Warnings = append(row.Warnings, errors.New("median and mean moved in opposite directions: no verdict"))
		}
		switch {
		case significant && change < 0:
			row.Verdict = Slower
			row.Fail = math.Abs(row.Delta) > 100*o.Threshold
		case significant && len(row.Degraded) > 0:
			row.Verdict = Degraded
			row.Warnings = append(row.Warnings, fmt.Errorf("degraded (%v): not counted as an improvement", row.Degraded))
		case significant:
			row.Verdict = Faster
		case row.PEquiv < o.Alpha:
			row.Verdict = Equivalent
		case row.MDE <= 100*o.Threshold:
			row.Verdict = NoChange
		default:
			row.Verdict = Inconclusive
			row.Reason = fmt.Sprintf("MDE %s > %g%%", mdeText(row.MDE), 100*o.Threshold)
			row.Warnings = append(row.Warnings, fmt.Errorf("inconclusive: could not have seen a %g%% change (minimum detectable effect %s at α/%d, %g%% power), nor shown equivalence within ±%g%%; run more processes",
				100*o.Threshold, mdeText(row.MDE), len(family), 100*Power, 100*o.Threshold))
		}
	}
	return len(family)
}

// decideSecondary decides the rows of the other units as their own
// family, and turns what would fail the gate into a warning.
func decideSecondary(rows []*Row, o Options) {
	decide(rows, o)
	for _, row := range rows {
		if row.Fail {
			row.Fail = false
			row.Warnings = append(row.Warnings, fmt.Errorf("slower by %+.1f%%, beyond the %g%% threshold: reported, not gated (the gate decides on %s)", row.Delta, 100*o.Threshold, o.Primary))
		}
	}
}

func mdeText(mde float64) string {
	switch {
	case math.IsInf(mde, 1):
		return "∞"
	case math.IsNaN(mde):
		return "unknown"
	}
	return fmt.Sprintf("%.2g%%", mde)
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
		if n1, n2 := r.sizes(); !r.Exact && abtest.MinUTestP(n1, n2)*m >= alpha {
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
	return fmt.Errorf("%d of %d tested rows have too few values to be significant after Holm correction over %d comparisons unless other rows are; %d per side would suffice",
		weak, family, family, need)
}

// sizes returns how many values per side the row's test compared: runs
// for run medians, samples otherwise.
func (r *Row) sizes() (int, int) {
	if r.Basis == RunMedians {
		return r.Old.Runs, r.New.Runs
	}
	return r.Old.N, r.New.N
}
