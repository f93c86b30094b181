package render

import (
	"fmt"
	"math"
	"strings"

	"golang.org/x/perf/benchmath"
	"golang.org/x/perf/benchunit"

	"github.com/inferbench/inferbench/tools/internal/benchdata"
	"github.com/inferbench/inferbench/tools/internal/gate"
)

// section is a run of rows sharing table and unit.
type section struct {
	table, unit string
	better      gate.Direction
	assumed     bool
	rows        []*gate.Row
	scaler      benchunit.Scaler
	seconds     float64 // seconds per unit for durations, else 0
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
		if f, ok := benchdata.Seconds(s.unit); ok {
			s.seconds = f
			continue
		}
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
	if s.seconds != 0 {
		return duration(sum.Center*s.seconds) + " ± " + ci
	}
	return s.scaler.Format(sum.Center) + " ± " + ci
}

// durationUnits are the scales durations are shown in.
var durationUnits = []struct {
	sec  float64
	name string
}{{1, "s"}, {1e-3, "ms"}, {1e-6, "µs"}, {1e-9, "ns"}}

// duration formats sec with four significant digits in the largest unit
// that keeps it at least 1: 5.342 ms, 812.0 µs.
func duration(sec float64) string {
	if sec == 0 {
		return "0 s"
	}
	u := durationUnits[len(durationUnits)-1]
	for _, c := range durationUnits {
		if math.Abs(sec) >= c.sec {
			u = c
			break
		}
	}
	v := sec / u.sec
	switch a := math.Abs(v); {
	case a >= 100:
		return fmt.Sprintf("%.1f %s", v, u.name)
	case a >= 10:
		return fmt.Sprintf("%.2f %s", v, u.name)
	}
	return fmt.Sprintf("%.3f %s", v, u.name)
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

// mde formats a minimum detectable effect in percent.
func mde(v float64) string {
	switch {
	case math.IsNaN(v):
		return "-"
	case math.IsInf(v, 1):
		return "∞"
	case v >= 10:
		return fmt.Sprintf("%.0f%%", v)
	}
	return fmt.Sprintf("%.1f%%", v)
}

func count(r *gate.Row) string { return fmt.Sprintf("%d+%d", r.Old.N, r.New.N) }

func runs(r *gate.Row) string { return fmt.Sprintf("%d+%d", r.Old.Runs, r.New.Runs) }

// basis names what the row was judged on; samples pooled from a few runs
// are told from those of one process.
func basis(r *gate.Row) string {
	if r.Basis == gate.WithinProcess && max(r.Old.Runs, r.New.Runs) > 1 {
		return "pooled within-run samples"
	}
	return r.Basis.String()
}

func verdict(r *gate.Row, o gate.Options) string {
	switch {
	case r.Fail:
		return "slower FAIL"
	case r.Verdict == gate.Slower:
		return fmt.Sprintf("slower (≤%s)", pct(o.Threshold))
	case r.Verdict == gate.NoChange:
		return "~"
	case r.Verdict == gate.Equivalent:
		return fmt.Sprintf("equivalent (±%s)", pct(o.Threshold))
	case r.Verdict == gate.Inconclusive, r.Verdict == gate.TooFewSamples:
		return "inconclusive: " + r.Reason
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
	return fmt.Sprintf("old %s, new %s: α=%g (Holm over %d %s), threshold %s, min |d| %g, MDE at %g%% power; ≥ %d runs per side: tested on run medians",
		strings.Join(rep.Files[0], ","), strings.Join(rep.Files[1], ","), o.Alpha, rep.Tests, comparisons, pct(o.Threshold), o.MinEffect, 100*gate.Power, rep.MinRuns)
}

// environment lists the configuration that differs between old and new,
// for the top of the report.
func environment(rep *gate.Report) []string {
	var out []string
	for _, d := range rep.Machine {
		out = append(out, "MACHINE DIFFERS (allowed by -allow-env-diff): "+d.String())
	}
	for _, d := range rep.Runtime {
		out = append(out, "RUNTIME DIFFERS: "+d.String())
	}
	return out
}

// decision is the gate's one-line outcome.
func decision(rep *gate.Report) string {
	th := pct(rep.Options.Threshold)
	fails, inc := rep.Failures(), rep.Inconclusives()
	code := rep.Outcome()
	switch {
	case len(fails) > 0:
		names := make([]string, len(fails))
		for i, r := range fails {
			names[i] = r.Label() + " " + delta(r)
		}
		return fmt.Sprintf("FAIL (exit %d): %d regression(s) beyond %s: %s", code, len(fails), th, strings.Join(names, ", "))
	case len(inc) > 0 && code == gate.ExitInconclusive:
		return fmt.Sprintf("INCONCLUSIVE (exit %d): no regression beyond %s found, but %d row(s) could not be judged (%s); run more processes per side (make compare COMPARE_COUNT=…)",
			code, th, len(inc), labels(inc))
	case len(inc) > 0:
		return fmt.Sprintf("PASS (exit %d, -inconclusive=pass): no regression beyond %s found; %d row(s) could not be judged (%s)", code, th, len(inc), labels(inc))
	}
	return fmt.Sprintf("PASS (exit %d): no regression beyond %s; every row could have seen a %s change or was shown equivalent", code, th, th)
}

// labels names the first rows, for the decision line.
func labels(rows []*gate.Row) string {
	var names []string
	for i, r := range rows {
		if i == 2 {
			names = append(names, "…")
			break
		}
		names = append(names, r.Label()+": "+r.Reason)
	}
	return strings.Join(names, ", ")
}

// tally counts the verdicts, such as "2 faster, 9 ~, 1 too few samples".
func tally(rep *gate.Report) string {
	var parts []string
	for _, v := range []gate.Verdict{gate.Slower, gate.Faster, gate.Equivalent, gate.NoChange, gate.Degraded, gate.Inconclusive, gate.TooFewSamples, gate.OnlyOld, gate.OnlyNew} {
		if n := rep.Count(v); n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, v))
		}
	}
	return strings.Join(parts, ", ")
}
