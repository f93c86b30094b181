package report

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/inferbench/inferbench/internal/envstate"
)

// addDisturbed records why the machine's state disturbed one result of
// the cell (benchdata.Record.Disturbed), if it did.
func (c *Cell) addDisturbed(why []string) {
	if len(why) == 0 {
		return
	}
	c.DisturbedN++
	for _, w := range why {
		if !slices.Contains(c.Disturbed, w) {
			c.Disturbed = append(c.Disturbed, w)
		}
	}
}

// results is how many result lines the cell holds.
func (c *Cell) results() int { return max(len(c.Samples["sec/op"]), c.DisturbedN) }

// compared reports whether the cell takes part in a tested comparison of
// the matrix: as the backend, or as the baseline of its scenario.
func (a *Analysis) compared(backend, scenario string) bool {
	for _, m := range a.Matrix {
		if m.Scenario == scenario && m.Untestable == "" && (m.Backend == backend || backend == a.Baseline) {
			return true
		}
	}
	return false
}

// busyShare is the median share of CPU time other processes used during
// the loops above which the report warns.
const busyShare = 25

// checkEnvironment judges the machine's state the benchmarks recorded
// (package envstate): a cell measured while the GPU was throttled or
// shared, or the CPU stolen, makes the report INVALID when the matrix
// compares it, and is a warning otherwise; a CPU busy with other
// processes is a warning.
func (a *Analysis) checkEnvironment() {
	for _, b := range a.Backends {
		for _, s := range a.Scenarios {
			c := a.Data.Cells[b][s]
			if c == nil || c.DisturbedN == 0 {
				continue
			}
			msg := fmt.Sprintf("%s at %s: %d of %d results measured while the machine was disturbed (%s)",
				b, s, c.DisturbedN, c.results(), strings.Join(c.Disturbed, "; "))
			if a.compared(b, s) {
				a.Invalid = append(a.Invalid, msg+": its comparison cannot tell the backend from the machine; rerun on a quiet machine with clocks locked")
			} else {
				a.Warnings = append(a.Warnings, msg)
			}
		}
	}
	if busy := a.envMedian(envstate.OtherBusyPct); busy >= busyShare {
		a.Warnings = append(a.Warnings, fmt.Sprintf("other processes used %.0f%% of the machine's CPU time during the timed loops (median over results): CPU-bound results describe a shared machine", busy))
	}
}

// envMedian is the median of an environment metric over every Prefill
// result; NaN when none recorded it.
func (a *Analysis) envMedian(unit string) float64 {
	var all []float64
	for _, b := range a.Backends {
		for _, c := range a.Data.Cells[b] {
			all = append(all, c.Samples[unit]...)
		}
	}
	return median(all)
}

// envExtreme is the lowest (min) or highest value of an environment
// metric over every Prefill result; NaN when none recorded it.
func (a *Analysis) envExtreme(unit string, lowest bool) float64 {
	v := math.NaN()
	for _, b := range a.Backends {
		for _, c := range a.Data.Cells[b] {
			for _, x := range c.Samples[unit] {
				if v != v || (lowest && x < v) || (!lowest && x > v) {
					v = x
				}
			}
		}
	}
	return v
}

// clockRows prints the environment table's clock rows: the clock policy
// the harness recorded per process (GPU clock policy, CPU governor and
// nominal frequency) and what the loops saw (SM clock, CPU steal, load).
// Input without those records prints nothing.
func (a *Analysis) clockRows(p *printer) {
	var policy []string
	for _, k := range []string{"gpu0-clock-policy", "cpu-governor", "cpu-nominal-mhz"} {
		if _, ok := a.Data.Config[k]; !ok {
			continue
		}
		if k == "cpu-nominal-mhz" && a.get(k) == a.get("cpu-governor") {
			policy[len(policy)-1] = "cpu-governor, cpu-nominal-mhz " + a.get(k) // the same reason
			continue
		}
		policy = append(policy, k+" "+a.get(k))
	}
	if len(policy) > 0 {
		p.row("clock policy", strings.Join(policy, "; "))
	}
	var seen []string
	if v := a.envMedian(envstate.SMMHz); v == v {
		seen = append(seen, fmt.Sprintf("GPU SM clock median %.0f MHz, lowest %.0f MHz, hottest %.0f °C",
			v, a.envExtreme(envstate.SMMinMHz, true), a.envExtreme(envstate.TempC, false)))
	}
	if v := a.envMedian(envstate.StealPct); v == v {
		seen = append(seen, fmt.Sprintf("CPU steal median %.1f%% (max %.1f%%)", v, a.envExtreme(envstate.StealPct, false)))
	}
	if v := a.envMedian(envstate.OtherBusyPct); v == v {
		seen = append(seen, fmt.Sprintf("other processes' CPU share median %.0f%%", v))
	}
	if v := a.envMedian(envstate.Load1); v == v {
		seen = append(seen, fmt.Sprintf("load average median %.1f", v))
	}
	if len(seen) > 0 {
		p.row("during the loops", strings.Join(seen, "; "))
	}
}
