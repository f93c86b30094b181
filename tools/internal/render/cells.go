package render

import (
	"fmt"
	"math"
	"strings"

	"golang.org/x/perf/benchmath"
	"golang.org/x/perf/benchunit"

	"github.com/inferbench/inferbench/tools/internal/gate"
)

// section is a run of rows sharing table and unit.
type section struct {
	table, unit string
	better      gate.Direction
	assumed     bool
	rows        []*gate.Row
	scaler      benchunit.Scaler
}

func sections(rows []*gate.Row) []*section {
	var out []*section
	for _, r := range rows {
		if n := len(out); n == 0 || out[n-1].table != r.Table || out[n-1].unit != r.Unit {
			out = append(out, &section{table: r.Table, unit: r.Unit, better: r.Better, assumed: r.DirectionAssumed})
		}
		s := out[len(out)-1]
		s.rows = append(s.rows, r)
	}
	for _, s := range out {
		var centers []float64
		for _, r := range s.rows {
			for _, sum := range []gate.Summary{r.Old, r.New} {
				if sum.N > 0 {
					centers = append(centers, sum.Center)
				}
			}
		}
		s.scaler = benchunit.CommonScale(centers, benchunit.ClassOf(s.unit))
	}
	return out
}

func (s *section) title() string {
	dir := s.better.String()
	if s.assumed {
		dir += ", assumed"
	}
	return fmt.Sprintf("%s (%s)", s.unit, dir)
}

func (s *section) summary(sum gate.Summary) string {
	if sum.N == 0 {
		return "-"
	}
	ci := benchmath.Summary{Center: sum.Center, Lo: sum.Lo, Hi: sum.Hi}.PctRangeString()
	return s.scaler.Format(sum.Center) + " ± " + ci
}

func delta(r *gate.Row) string {
	switch {
	case math.IsNaN(r.Delta):
		return "-"
	case math.IsInf(r.Delta, 0):
		return "?"
	}
	return fmt.Sprintf("%+.2f%%", r.Delta)
}

func pval(p float64) string {
	if math.IsNaN(p) {
		return "-"
	}
	return fmt.Sprintf("%.2g", p)
}

func effect(d float64) string {
	switch {
	case math.IsNaN(d):
		return "-"
	case math.IsInf(d, 0):
		return fmt.Sprintf("%+v", d)
	}
	return fmt.Sprintf("%+.2f", d)
}

func count(r *gate.Row) string { return fmt.Sprintf("%d+%d", r.Old.N, r.New.N) }

func verdict(r *gate.Row, o gate.Options) string {
	switch {
	case r.Fail:
		return "slower FAIL"
	case r.Verdict == gate.Slower:
		return fmt.Sprintf("slower (≤%s)", pct(o.Threshold))
	case r.Verdict == gate.NoChange:
		return "~"
	}
	return r.Verdict.String()
}

func pct(frac float64) string { return fmt.Sprintf("%g%%", 100*frac) }

// header describes the inputs and thresholds.
func header(rep *gate.Report) string {
	o := rep.Options
	comparisons := "comparisons"
	if rep.Tests == 1 {
		comparisons = "comparison"
	}
	return fmt.Sprintf("old %s, new %s: α=%g (Holm over %d %s), threshold %s, min |d| %g",
		strings.Join(rep.Files[0], ","), strings.Join(rep.Files[1], ","), o.Alpha, rep.Tests, comparisons, pct(o.Threshold), o.MinEffect)
}

// decision is the gate's one-line outcome.
func decision(rep *gate.Report) string {
	fails := rep.Failures()
	if len(fails) > 0 {
		names := make([]string, len(fails))
		for i, r := range fails {
			names[i] = r.Label() + " " + delta(r)
		}
		return fmt.Sprintf("FAIL: %d regression(s) beyond %s: %s", len(fails), pct(rep.Options.Threshold), strings.Join(names, ", "))
	}
	return fmt.Sprintf("PASS: no regression beyond %s", pct(rep.Options.Threshold))
}

// tally counts the verdicts, such as "2 faster, 9 ~, 1 too few samples".
func tally(rep *gate.Report) string {
	var parts []string
	for _, v := range []gate.Verdict{gate.Slower, gate.Faster, gate.NoChange, gate.Degraded, gate.TooFewSamples, gate.OnlyOld, gate.OnlyNew} {
		if n := rep.Count(v); n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, v))
		}
	}
	return strings.Join(parts, ", ")
}
