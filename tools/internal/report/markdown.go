package report

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Figure file names in the output directory.
const (
	LatencyPNG    = "latency.png"
	ThroughputPNG = "throughput.png"
)

// WriteMarkdown writes report.md's text.
func (a *Analysis) WriteMarkdown(w io.Writer) error {
	p := &printer{w: w}
	p.f("# Backend report\n\n")
	if len(a.Invalid) == 0 {
		p.f("**VALID** — no reason found to distrust these results.\n\n")
	} else {
		p.f("**INVALID** — do not draw conclusions from this report:\n\n")
		for _, r := range a.Invalid {
			p.f("- %s\n", r)
		}
		p.f("\n")
	}
	a.identity(p)
	a.latency(p)
	a.degraded(p)
	a.throughput(p)
	a.matrix(p)
	a.ranking(p)
	a.overhead(p)
	a.accuracy(p)
	a.skips(p)
	if len(a.Warnings) > 0 {
		p.f("## Warnings\n\n")
		for _, x := range a.Warnings {
			p.f("- %s\n", x)
		}
		p.f("\n")
	}
	return p.err
}

type printer struct {
	w   io.Writer
	err error
}

func (p *printer) f(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}

func (p *printer) row(cells ...string) { p.f("| %s |\n", strings.Join(cells, " | ")) }

func (p *printer) header(cells ...string) {
	p.row(cells...)
	sep := make([]string, len(cells))
	for i := range sep {
		sep[i] = "---"
	}
	p.row(sep...)
}

func (a *Analysis) get(key string) string {
	vs := a.Data.values(key)
	switch len(vs) {
	case 0:
		return "?"
	case 1:
		return vs[0].Value
	}
	var s []string
	for _, v := range vs {
		s = append(s, v.Value)
	}
	return "varies: " + strings.Join(s, ", ")
}

func short(s string) string {
	if len(s) > 12 {
		return s[:12]
	}
	return s
}

func (a *Analysis) identity(p *printer) {
	p.f("## Model, corpus and environment\n\n")
	p.header("", "")
	p.row("model", fmt.Sprintf("%s (architecture %s, %s parameters, %s weights, %s, weights sha256 %s)",
		a.get("model"), a.get("model-arch"), a.get("model-params"), a.get("model-weights"), a.get("model-precision"), short(a.get("model-weights-sha256"))))
	if a.get("model-weights") != "trained" {
		p.row("", "weights not trained: latency and memory only")
	}
	p.row("corpus", fmt.Sprintf("%s (%s bytes, sha256 %s)", a.get("corpus"), a.get("corpus-bytes"), short(a.get("corpus-sha256"))))
	mem := a.get("mem-total-bytes")
	if n, err := strconv.ParseFloat(mem, 64); err == nil {
		mem = fmt.Sprintf("%.1f GiB", n/(1<<30))
	}
	p.row("machine", fmt.Sprintf("%s/%s, %s, %s cores, %s memory", a.get("goos"), a.get("goarch"), a.get("cpu"), a.get("cores"), mem))
	if _, ok := a.Data.Config["gpu0"]; ok {
		p.row("GPU", fmt.Sprintf("%s (driver %s)", a.get("gpu0"), a.get("nvidia-driver")))
	}
	p.row("software", fmt.Sprintf("%s, ONNX Runtime %s", a.get("go-version"), a.get("ort-version")))
	a.clockRows(p)
	p.row("commit", a.get("commit"))
	p.row("inputs", strings.Join(a.Data.Files, ", "))
	p.f("\n")
}

func ms(v float64) string {
	if math.IsNaN(v) {
		return "—"
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

func (a *Analysis) scenarioLabel(s string) string {
	if t := a.Tokens[s]; t > 0 {
		return fmt.Sprintf("%s (%d tok)", s, int(t))
	}
	return s
}

func mark(c *Cell) string {
	s := ""
	if len(c.Degraded) > 0 {
		s += " ⚠ degraded"
	}
	if c.DisturbedN > 0 {
		s += " ⚠ disturbed"
	}
	return s
}

func (a *Analysis) latency(p *printer) {
	p.f("## Latency\n\n")
	p.f("Per call, in ms: median over runs (processes) of each run's p50 / p95 / p99 (n = runs). The figure shows the p50 with whiskers to the p95 (the benchmarks record no lower percentile); dashed whiskers are degraded backends.\n\n")
	p.f("![p50 latency per scenario and backend](%s)\n\n", LatencyPNG)
	a.backendTable(p, func(c *Cell) string {
		lat, unit := c.Latency()
		if unit != "p50-ms" {
			return fmt.Sprintf("%s mean (n=%d)", ms(median(lat)), len(lat))
		}
		return fmt.Sprintf("%s / %s / %s (n=%d)", ms(median(lat)), ms(median(c.PerRun("p95-ms"))), ms(median(c.PerRun("p99-ms"))), len(lat))
	})
}

// backendTable prints one row per scenario and one column per backend,
// each cell from cell, degraded ones marked.
func (a *Analysis) backendTable(p *printer, cell func(*Cell) string) {
	a.table(p, a.Backends, func(b, s string) string {
		if c := a.Data.Cells[b][s]; c != nil {
			return cell(c) + mark(c)
		}
		return ""
	})
}

// table prints one row per scenario and one column per backend; an empty
// cell is shown as a dash.
func (a *Analysis) table(p *printer, backends []string, cell func(backend, scenario string) string) {
	p.header(append([]string{"scenario"}, backends...)...)
	for _, s := range a.Scenarios {
		row := []string{a.scenarioLabel(s)}
		for _, b := range backends {
			if v := cell(b, s); v != "" {
				row = append(row, v)
			} else {
				row = append(row, "—")
			}
		}
		p.row(row...)
	}
	p.f("\n")
}

func (a *Analysis) throughput(p *printer) {
	p.f("## Throughput\n\n")
	p.f("Tokens per second (median over runs) against tokens per call (batch × sequence).\n\n")
	p.f("![throughput against tokens per call](%s)\n\n", ThroughputPNG)
	a.backendTable(p, func(c *Cell) string { return strconv.FormatFloat(median(c.PerRun("tok/s")), 'f', 0, 64) })
}

func (c *Comparison) text() string {
	stats := fmt.Sprintf("p=%.2g, δ=%+.2f", c.PHolm, c.Delta)
	switch {
	case c.Untestable != "":
		return fmt.Sprintf("untested ×%.3g (%s)", c.Speedup, c.Untestable)
	case !c.Significant:
		mde := "could not detect any change"
		if !math.IsInf(c.MDE, 1) {
			mde = fmt.Sprintf("MDE %.3g%%", 100*c.MDE)
		}
		if math.IsNaN(c.MDE) {
			mde = "MDE unknown"
		}
		return fmt.Sprintf("n.s. ×%.3g (%s, %s)", c.Speedup, stats, mde)
	}
	word := "faster"
	if c.Speedup < 1 {
		word = "slower"
	}
	s := fmt.Sprintf("**×%.3g %s** (%s)", c.Speedup, word, stats)
	if c.Degraded {
		s += " ⚠ degraded, not ranked"
	}
	return s
}

func (a *Analysis) matrix(p *printer) {
	others := a.Backends[1:]
	p.f("## Speed-up over %s\n\n", a.Baseline)
	if len(others) == 0 {
		p.f("Only the baseline ran: nothing to compare.\n\n")
		return
	}
	p.f("Each cell: the baseline's median latency over the backend's (×2 = twice as fast), the Mann-Whitney U p-value of the runs' p50s (one per process) Holm-adjusted over all %d cells, and Cliff's δ (+1: every run faster than every baseline run). \"n.s.\": not significant at α=%g — no ranking is made from it; its MDE is the smallest change of the mean latency, in %% of the baseline's median, that the test would have detected with 80%% power at the strictest Holm level (α/%d).\n\n",
		len(a.Matrix), a.Options.Alpha, len(a.Matrix))
	a.table(p, others, func(b, s string) string {
		if c := a.Cell(b, s); c != nil {
			return c.text()
		}
		return ""
	})
}

func (a *Analysis) ranking(p *printer) {
	p.f("## Ranking\n\n")
	p.f("Per scenario, the backends significantly faster than %s, fastest first. They are not tested against each other: the order among them is by median only.\n\n", a.Baseline)
	for _, s := range a.Scenarios {
		var ranked, ns, slower, degraded []string
		for _, c := range a.Ranking(s) {
			ranked = append(ranked, fmt.Sprintf("%s ×%.3g", c.Backend, c.Speedup))
		}
		for _, b := range a.Backends[1:] {
			c := a.Cell(b, s)
			switch {
			case c == nil, c.Faster():
			case c.Degraded:
				degraded = append(degraded, b)
			case !c.Significant:
				ns = append(ns, b)
			default:
				slower = append(slower, b)
			}
		}
		line := "none faster than " + a.Baseline
		if len(ranked) > 0 {
			line = strings.Join(ranked, " > ")
		}
		p.f("- **%s**: %s", a.scenarioLabel(s), line)
		if len(ns) > 0 {
			p.f("; not distinguishable from %s: %s", a.Baseline, strings.Join(ns, ", "))
		}
		if len(slower) > 0 {
			p.f("; slower: %s", strings.Join(slower, ", "))
		}
		if len(degraded) > 0 {
			p.f("; degraded, not ranked: %s", strings.Join(degraded, ", "))
		}
		p.f("\n")
	}
	p.f("\n")
}

func (a *Analysis) overhead(p *printer) {
	p.f("## Build overhead\n\n")
	if len(a.Data.Model) > 0 {
		p.f("Model build (ONNX export from the Go weights, shared by the ONNX Runtime backends): %s ms (median of %d).\n\n", ms(1e3*median(a.Data.Model)), len(a.Data.Model))
	}
	if len(a.Data.Build) == 0 {
		p.f("No BenchmarkSessionCreate results.\n\n")
		return
	}
	p.header("backend", "session creation, ms", "results")
	for _, b := range a.Backends {
		if v := a.Data.Build[b]; len(v) > 0 {
			p.row(b, ms(1e3*median(v)), strconv.Itoa(len(v)))
		}
	}
	p.f("\n")
	if len(a.BreakEven) == 0 {
		p.f("No backend is significantly faster than %s per call: no break-even to compute.\n\n", a.Baseline)
		return
	}
	p.f("Break-even against %s: the number of calls after which a backend's faster calls repay its slower session creation (medians; significant, non-degraded speed-ups only).\n\n", a.Baseline)
	p.header("backend", "scenario", "break-even calls", "")
	for _, be := range a.BreakEven {
		calls := strconv.Itoa(be.Calls)
		if be.Calls < 0 {
			calls = "—"
		}
		p.row(be.Backend, a.scenarioLabel(be.Scenario), calls, be.Note)
	}
	p.f("\n")
}

func (a *Analysis) accuracy(p *printer) {
	for _, f := range a.Data.Accuracy {
		p.f("## Accuracy (%s)\n\n", f.Path)
		b := f.Baseline
		p.f("Model %s, corpus %s (%d tokens, window %d, stride %d); baseline %s (%s, %s): PPL %.4f over %d tokens.\n\n",
			f.Model.Name, f.Corpus.Name, f.Tokens, f.Window, f.Stride, b.Backend, b.Precision, b.Device, b.PPL, b.Scored)
		if f.Invalid != "" {
			p.f("**INVALID**: %s\n\n", f.Invalid)
		}
		p.header("backend", "precision", "device", "ΔPPL", "KL mean", "KL p99", "top-1", "verdict")
		for _, r := range f.Backends {
			if r.Scored == 0 {
				p.row(r.Backend, string(r.Precision), r.Device, "—", "—", "—", "—", string(r.Verdict.Status)+" "+strings.Join(r.Verdict.Reasons, "; "))
				continue
			}
			v := string(r.Verdict.Status)
			if r.Degraded != "" {
				v += " ⚠ degraded: " + r.Degraded
			}
			p.row(r.Backend, string(r.Precision), r.Device, fmt.Sprintf("%+.3g%%", 100*r.DeltaRel),
				fmt.Sprintf("%.3g", r.Divergence.KLMean), fmt.Sprintf("%.3g", r.Divergence.KLP99),
				fmt.Sprintf("%.3f%%", 100*r.Divergence.Top1), v)
		}
		p.f("\n")
		notes := 0
		for _, r := range f.Backends {
			if r.Note != "" {
				p.f("- %s: %s\n", r.Backend, r.Note)
				notes++
			}
		}
		if notes > 0 {
			p.f("\n")
		}
	}
}

func (a *Analysis) skips(p *printer) {
	type skip struct{ backend, reason string }
	var order []skip
	seen := make(map[skip]bool)
	for _, s := range a.Data.Skips {
		b := s.Benchmark
		if i := strings.Index(b, "backend="); i >= 0 {
			b = b[i+len("backend="):]
			b, _, _ = strings.Cut(b, "/")
		}
		k := skip{b, s.Reason}
		if !seen[k] {
			seen[k] = true
			order = append(order, k)
		}
	}
	if len(order) == 0 {
		return
	}
	p.f("## Not run\n\n")
	for _, k := range order {
		p.f("- %s: %s\n", k.backend, k.reason)
	}
	p.f("\n")
}

func (a *Analysis) degraded(p *printer) {
	var lines []string
	for _, b := range a.Backends {
		var why []string
		for _, s := range a.Scenarios {
			if c := a.Data.Cells[b][s]; c != nil {
				for _, r := range c.Degraded {
					if !slices.Contains(why, r) {
						why = append(why, r)
					}
				}
			}
		}
		if len(why) > 0 {
			lines = append(lines, fmt.Sprintf("- %s: %s", b, strings.Join(why, "; ")))
		}
	}
	if len(lines) == 0 {
		return
	}
	p.f("**Degraded** (shown, marked ⚠, left out of every ranking):\n\n%s\n\n", strings.Join(lines, "\n"))
}
