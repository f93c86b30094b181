package report

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/inferbench/inferbench/internal/atomicfile"

	"github.com/inferbench/inferbench/tools/internal/chart"
)

// Write creates dir with the figures and report.md, and returns the
// paths written. Every file is replaced atomically, report.md last: a run
// that fails leaves no report.md describing other inputs beside new
// figures (and RemoveStale clears the old report on a failed run).
func (a *Analysis) Write(dir string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	figs, err := a.figures()
	if err != nil {
		return nil, err
	}
	var paths []string
	for _, name := range []string{LatencyPNG, ThroughputPNG} {
		p := filepath.Join(dir, name)
		if err := figs[name](p); err != nil {
			return nil, err
		}
		paths = append(paths, p)
	}
	md := filepath.Join(dir, ReportMD)
	if err := atomicfile.Write(md, a.WriteMarkdown); err != nil {
		return nil, err
	}
	return append([]string{md}, paths...), nil
}

// ReportMD is the report's file name in the output directory.
const ReportMD = "report.md"

// RemoveStale removes the report and figures a previous run left in dir,
// for a run that failed: an old VALID report.md must not stand for inputs
// that could not be reported. It returns the paths removed.
func RemoveStale(dir string) ([]string, error) {
	var removed []string
	var errs []error
	for _, name := range []string{ReportMD, LatencyPNG, ThroughputPNG} {
		p := filepath.Join(dir, name)
		switch err := os.Remove(p); {
		case err == nil:
			removed = append(removed, p)
		case !errors.Is(err, fs.ErrNotExist):
			errs = append(errs, err)
		}
	}
	return removed, errors.Join(errs...)
}

// figures returns the figure drawers by file name, in a fixed order.
func (a *Analysis) figures() (map[string]func(string) error, error) {
	var lat, tput []chart.Series
	for _, b := range a.Backends {
		ls := chart.Series{Name: b}
		ts := chart.Series{Name: b}
		for i, s := range a.Scenarios {
			c := a.Data.Cells[b][s]
			if c == nil {
				continue
			}
			ls.Dashed = ls.Dashed || len(c.Degraded) > 0
			ts.Dashed = ls.Dashed
			v, _ := c.Latency()
			y := median(v)
			hi := y
			if p95 := median(c.PerRun("p95-ms")); p95 > y {
				hi = p95
			}
			ls.Points = append(ls.Points, chart.Point{X: float64(i), Y: y, Lo: y, Hi: hi})
			if tok, t := a.Tokens[s], median(c.PerRun("tok/s")); tok > 0 && t > 0 {
				ts.Points = append(ts.Points, chart.Point{X: tok, Y: t})
			}
		}
		if ls.Dashed {
			ls.Name += " (degraded)"
			ts.Name = ls.Name
		}
		lat = append(lat, ls)
		if len(ts.Points) > 0 {
			tput = append(tput, ts)
		}
	}
	var labels []string
	for _, s := range a.Scenarios {
		labels = append(labels, a.scenarioLabel(s))
	}
	latPlot, err := chart.Dots("p50 latency per call (whisker to p95)", "ms (log scale)", labels, lat, true)
	if err != nil {
		return nil, err
	}
	tpPlot, err := chart.Lines("throughput against tokens per call", "tokens per call (log scale)", "tok/s (log scale)", tput, true, true)
	if err != nil {
		return nil, err
	}
	return map[string]func(string) error{
		LatencyPNG:    func(p string) error { return chart.Save(latPlot, p) },
		ThroughputPNG: func(p string) error { return chart.Save(tpPlot, p) },
	}, nil
}
