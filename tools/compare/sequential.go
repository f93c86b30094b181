package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"time"

	"golang.org/x/perf/benchfmt"

	"github.com/inferbench/inferbench/tools/internal/benchdata"
	"github.com/inferbench/inferbench/tools/internal/gate"
	"github.com/inferbench/inferbench/tools/internal/interleave"
	"github.com/inferbench/inferbench/tools/internal/sequential"
)

// seqRun is one sequential comparison: rounds until every primary row is
// decided or the budget is spent.
type seqRun struct {
	c        *comparison
	b        *interleave.Bench
	o        sequential.Options
	primary  string    // the unit decided on
	deadline time.Time // when no further round may start
	started  time.Time

	res       interleave.Result
	primaries *sequential.Tracker // the family: one row per benchmark
	second    *sequential.Tracker // every other unit: reported, may warn
	units     benchfmt.UnitMetadataMap
	rounds    int
	lastRound time.Duration
	onlyOld   []string
	onlyNew   []string

	runtime     []gate.KeyDiff // runtime keys that differ (Go, ONNX Runtime, model)
	envWarnings []error
}

// sequentialStage runs the rounds, prints the verdict, and returns the
// exit status.
func (c *comparison) sequentialStage(ctx context.Context, b *interleave.Bench, started time.Time) int {
	s := &seqRun{c: c, b: b, o: c.seq, primary: c.primary, started: started, deadline: started.Add(c.budget)}
	res, _, err := b.Begin(interleave.Stage{Count: -1})
	if err != nil {
		return c.fail(err)
	}
	s.res = res
	fmt.Fprintf(c.stderr, "compare: sequential rounds until every benchmark's %s is decided or the %v budget is spent (threshold %g%%, α %g)\n",
		s.primary, c.budget, 100*s.o.Threshold, s.o.Alpha)
	stop := ""
	for {
		if err := s.round(ctx); err != nil {
			return c.fail(err)
		}
		if s.primaries.Done() {
			break
		}
		if c.maxRounds > 0 && s.rounds >= c.maxRounds {
			stop = fmt.Sprintf("-max-rounds %d reached", c.maxRounds)
			break
		}
		// Start a round only if it can end within the budget.
		if now := time.Now(); now.Add(s.lastRound).After(s.deadline) {
			stop = fmt.Sprintf("budget %v spent (%v elapsed; a round takes about %v)", c.budget, now.Sub(started).Round(time.Second), s.lastRound.Round(time.Second))
			break
		}
	}
	code := s.report(stop)
	return code
}

// round runs one round of the benchmarks still measured and feeds their
// paired differences to the trackers.
func (s *seqRun) round(ctx context.Context) error {
	st := interleave.Stage{Count: -1}
	if s.primaries != nil {
		var names []string
		for _, r := range s.primaries.Measured() {
			names = append(names, r.Name)
		}
		st.Bench = interleave.BenchRegexp(names)
	}
	t0 := time.Now()
	s.rounds++
	if err := s.b.Round(ctx, st, s.rounds); err != nil {
		return err
	}
	s.lastRound = time.Since(t0)
	vals, err := s.read()
	if err != nil {
		return err
	}
	if s.primaries == nil {
		if err := s.check(); err != nil {
			return err
		}
		if err := s.start(vals); err != nil {
			return err
		}
	}
	label := [2]string{fmt.Sprintf("%d/old", s.rounds), fmt.Sprintf("%d/new", s.rounds)}
	for key, byRun := range vals {
		o, okO := byRun[label[0]]
		n, okN := byRun[label[1]]
		if !okO || !okN || !(o > 0) || !(n > 0) {
			continue
		}
		d := math.Log(n) - math.Log(o)
		if dir, _ := gate.UnitDirection(s.units, key.unit); dir == gate.HigherIsBetter {
			d = -d
		}
		if key.unit == s.primary {
			s.primaries.Observe(key.name, d)
		} else {
			s.second.Observe(key.name+" "+key.unit, d)
		}
	}
	s.primaries.Update()
	s.second.Update()
	decided := len(s.primaries.Rows()) - len(s.primaries.Measured())
	fmt.Fprintf(s.c.stderr, "compare: round %d (%v): %d of %d benchmarks decided\n", s.rounds, s.lastRound.Round(time.Millisecond), decided, len(s.primaries.Rows()))
	return nil
}

// check runs the gate's input and environment checks on the first
// round: results of different machines are refused (gate.ErrMachineDiff,
// exit 2) as in benchgate, and runtime differences (Go, ONNX Runtime,
// model) are kept for the report.
func (s *seqRun) check() error {
	coll, err := benchdata.ReadFiles(benchdata.Options{Ignore: []string{"commit"}, Unit: regexp.MustCompile("^" + regexp.QuoteMeta(s.primary) + "$")},
		[]string{s.res.Old}, []string{s.res.New})
	if errors.Is(err, benchdata.ErrNoResults) {
		return fmt.Errorf("%w (is -primary %s a unit these benchmarks report?)", err, s.primary)
	}
	if err != nil {
		return err
	}
	rep, err := gate.Evaluate(coll, s.c.g)
	if err != nil {
		return err
	}
	s.runtime = rep.Runtime
	for _, w := range rep.Warnings {
		if strings.Contains(w.Error(), "configurations differ") {
			s.envWarnings = append(s.envWarnings, w)
		}
	}
	return nil
}

type seriesKey struct{ name, unit string }

// read returns every value in the stage's files by benchmark and unit,
// then by run label ("3/old"). Each run prints a benchmark once
// (-test.count=1); a repeated one keeps its median.
func (s *seqRun) read() (map[seriesKey]map[string]float64, error) {
	all := make(map[seriesKey]map[string][]float64)
	s.units = make(benchfmt.UnitMetadataMap)
	for _, path := range []string{s.res.Old, s.res.New} {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		r := benchfmt.NewReader(f, path)
		for r.Scan() {
			switch rec := r.Result().(type) {
			case *benchfmt.UnitMetadata:
				s.units[benchfmt.UnitMetadataKey{Unit: rec.Unit, Key: rec.Key}] = rec
			case *benchfmt.Result:
				run := rec.GetConfig(benchdata.RunKey)
				for _, v := range rec.Values {
					k := seriesKey{string(rec.Name.Full()), v.Unit}
					if all[k] == nil {
						all[k] = make(map[string][]float64)
					}
					all[k][run] = append(all[k][run], v.Value)
				}
			case *benchfmt.SyntaxError:
				f.Close()
				return nil, fmt.Errorf("%w: %v", benchdata.ErrSyntax, rec)
			}
		}
		err = r.Err()
		f.Close()
		if err != nil {
			return nil, err
		}
	}
	out := make(map[seriesKey]map[string]float64, len(all))
	for k, byRun := range all {
		out[k] = make(map[string]float64, len(byRun))
		for run, v := range byRun {
			slices.Sort(v)
			out[k][run] = v[len(v)/2]
		}
	}
	return out, nil
}

// start sets the families up from the first round: every benchmark
// both sides ran, its primary unit in the gated family, its other units
// in the reported one.
func (s *seqRun) start(vals map[seriesKey]map[string]float64) error {
	var prim, sec []string
	for k, byRun := range vals {
		_, o := byRun["1/old"]
		_, n := byRun["1/new"]
		switch {
		case o && !n && k.unit == s.primary:
			s.onlyOld = append(s.onlyOld, k.name)
		case n && !o && k.unit == s.primary:
			s.onlyNew = append(s.onlyNew, k.name)
		case o && n && k.unit == s.primary:
			prim = append(prim, k.name)
		case o && n:
			sec = append(sec, k.name+" "+k.unit)
		}
	}
	if len(prim) == 0 {
		return fmt.Errorf("%s vs %s: %w: no benchmark reports the primary unit %s on both sides (-primary)", s.res.Old, s.res.New, gate.ErrNothingInCommon, s.primary)
	}
	slices.Sort(prim)
	slices.Sort(sec)
	slices.Sort(s.onlyOld)
	slices.Sort(s.onlyNew)
	var err error
	if s.primaries, err = sequential.NewTracker(s.o, prim); err != nil {
		return err
	}
	s.second, err = sequential.NewTracker(s.o, sec)
	return err
}

// report prints the benchstat table, the verdict of every row and the
// exit status, and appends the Markdown verdict to the summary.
func (s *seqRun) report(stop string) int {
	c := s.c
	if len(c.benchstat) > 0 {
		cmd := exec.Command(c.benchstat[0], append(c.benchstat[1:], s.res.Old, s.res.New)...)
		cmd.Stdout, cmd.Stderr = c.stdout, c.stderr
		if err := cmd.Run(); err != nil {
			fmt.Fprintf(c.stderr, "compare: warning: %s: %v\n", strings.Join(c.benchstat, " "), err)
		}
		fmt.Fprintln(c.stdout)
	}
	v := s.verdict(stop)
	switch c.format {
	case "markdown":
		v.markdown(c.stdout)
	case "json":
		if err := v.json(c.stdout); err != nil {
			return c.fail(err)
		}
	default:
		v.text(c.stdout)
	}
	if c.summary != "" {
		f, err := os.OpenFile(c.summary, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err == nil {
			v.markdown(f)
			err = f.Close()
		}
		if err != nil {
			fmt.Fprintf(c.stderr, "compare: %v\n", err)
			return exitError
		}
	}
	return v.code
}

func (s *seqRun) verdict(stop string) *seqVerdict {
	v := &seqVerdict{
		o: s.o, primary: s.primary, rows: s.primaries.Rows(), rounds: s.rounds, stop: stop,
		elapsed: time.Since(s.started), config: s.c.o.Config,
	}
	for _, d := range s.runtime {
		v.warnings = append(v.warnings, fmt.Errorf("runtime differs: %v", d))
	}
	v.warnings = append(v.warnings, s.envWarnings...)
	for _, r := range s.second.Rows() {
		if e := r.Last(); r.Verdict == sequential.Flagged || r.Verdict == sequential.Regression {
			v.warnings = append(v.warnings, fmt.Errorf("secondary metric %s: worse by %+.1f%% %s (reported, not gated)", r.Name, e.Change, interval(e)))
		}
	}
	for _, n := range s.onlyOld {
		v.warnings = append(v.warnings, fmt.Errorf("%s: only in old: removed, renamed, or skipped in new?", n))
	}
	for _, n := range s.onlyNew {
		v.warnings = append(v.warnings, fmt.Errorf("%s: only in new: added, or renamed?", n))
	}
	switch s.primaries.Outcome() {
	case sequential.Regression:
		v.code = exitFail
	case sequential.Within:
		v.code = exitPass
	default:
		v.code = exitInconclusive
		if s.c.g.InconclusivePass {
			v.code = exitPass
		}
	}
	return v
}

// seqVerdict is what the sequential comparison prints.
type seqVerdict struct {
	o        sequential.Options
	primary  string
	rows     []*sequential.Row
	rounds   int
	stop     string
	elapsed  time.Duration
	config   []string
	warnings []error
	code     int
}

func interval(e *sequential.Evidence) string {
	f := func(v float64) string {
		switch {
		case math.IsInf(v, 1):
			return "+∞"
		case math.IsInf(v, -1):
			return "−∞"
		}
		return fmt.Sprintf("%+.1f%%", v)
	}
	return "[" + f(e.Lo) + ", " + f(e.Hi) + "]"
}

func (v *seqVerdict) cells(r *sequential.Row) []string {
	// The first stage's estimate: the confirm stage's own rounds are
	// few, and only decide.
	e := r.First
	stage := ""
	if r.Confirm != nil {
		stage = fmt.Sprintf(" (flagged after %d, confirm %d: %+.1f%%)", r.FirstRounds, len(r.Confirm.D), r.Confirm.Change)
	}
	why := r.Why(v.o)
	if why == "" {
		why = "-"
	}
	return []string{r.Name, fmt.Sprintf("%d%s", r.Rounds, stage), fmt.Sprintf("%+.1f%%", e.Change), interval(e), r.Verdict.String(), why}
}

func (v *seqVerdict) headline() string {
	open := 0
	for _, r := range v.rows {
		if r.Measured() {
			open++
		}
	}
	switch v.code {
	case exitFail:
		return fmt.Sprintf("FAIL (exit 1): a regression beyond %g%% in %s, confirmed on fresh rounds", 100*v.o.Threshold, v.primary)
	case exitPass:
		if open > 0 {
			return fmt.Sprintf("PASS (exit 0, -inconclusive=pass): %d of %d benchmarks still open", open, len(v.rows))
		}
		return fmt.Sprintf("PASS (exit 0): every benchmark's %s shown within %g%% (or better)", v.primary, 100*v.o.Threshold)
	}
	return fmt.Sprintf("INCONCLUSIVE (exit 3): %d of %d benchmarks still open when the %s; inconclusive is not a pass", open, len(v.rows), v.stop)
}

func (v *seqVerdict) text(w io.Writer) {
	fmt.Fprintf(w, "sequential gate: primary %s, threshold %g%%, α %g (anytime-valid; Holm over %d benchmarks), %d rounds in %v\n",
		v.primary, 100*v.o.Threshold, v.o.Alpha, len(v.rows), v.rounds, v.elapsed.Round(time.Second))
	for _, l := range v.config {
		fmt.Fprintf(w, "  %s\n", l)
	}
	tw := newTable(w, []string{"benchmark", "rounds", "change", "always-valid CI", "verdict", "why open"})
	for _, r := range v.rows {
		tw.row(v.cells(r))
	}
	tw.flush()
	for _, err := range v.warnings {
		fmt.Fprintf(w, "warning: %v\n", err)
	}
	fmt.Fprintln(w, v.headline())
}

func (v *seqVerdict) markdown(w io.Writer) {
	icon := map[int]string{exitPass: "✅", exitFail: "❌", exitInconclusive: "❔"}[v.code]
	fmt.Fprintf(w, "### sequential gate %s %s\n\nPrimary %s, threshold %g%%, α %g, %d rounds in %v.\n\n",
		icon, v.headline(), v.primary, 100*v.o.Threshold, v.o.Alpha, v.rounds, v.elapsed.Round(time.Second))
	fmt.Fprintln(w, "| benchmark | rounds | change | always-valid CI | verdict | why open |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|")
	for _, r := range v.rows {
		fmt.Fprintf(w, "| %s |\n", strings.Join(v.cells(r), " | "))
	}
	for _, err := range v.warnings {
		fmt.Fprintf(w, "\n- ⚠️ %v", err)
	}
	fmt.Fprintln(w)
}

// jsonRow is one benchmark of the JSON verdict; percentages are
// changes, worse positive; null where not yet bounded.
type jsonRow struct {
	Name          string   `json:"name"`
	Verdict       string   `json:"verdict"`
	Rounds        int      `json:"rounds"`
	FirstRounds   int      `json:"first_rounds"`
	ConfirmRounds int      `json:"confirm_rounds"`
	ChangePct     *float64 `json:"change_pct"`
	LoPct         *float64 `json:"lo_pct"`
	HiPct         *float64 `json:"hi_pct"`
	PWorseHolm    float64  `json:"p_worse_holm"`
	PWithin       float64  `json:"p_within"`
	MDEPct        *float64 `json:"mde_pct"`
	WhyOpen       string   `json:"why_open,omitempty"`
}

func (v *seqVerdict) json(w io.Writer) error {
	finite := func(x float64) *float64 {
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return nil
		}
		return &x
	}
	out := struct {
		Primary   string    `json:"primary"`
		Threshold float64   `json:"threshold"`
		Alpha     float64   `json:"alpha"`
		Rounds    int       `json:"rounds"`
		Seconds   float64   `json:"seconds"`
		Config    []string  `json:"config"`
		Rows      []jsonRow `json:"rows"`
		Warnings  []string  `json:"warnings"`
		Exit      int       `json:"exit"`
		Verdict   string    `json:"verdict"`
	}{Primary: v.primary, Threshold: v.o.Threshold, Alpha: v.o.Alpha, Rounds: v.rounds, Seconds: v.elapsed.Seconds(),
		Config: v.config, Exit: v.code, Verdict: v.headline(), Warnings: []string{}}
	for _, r := range v.rows {
		e := r.First
		jr := jsonRow{Name: r.Name, Verdict: r.Verdict.String(), Rounds: r.Rounds, FirstRounds: r.FirstRounds,
			ChangePct: finite(e.Change), LoPct: finite(e.Lo), HiPct: finite(e.Hi), PWorseHolm: e.PWorseHolm, PWithin: r.Last().PWithin,
			MDEPct: finite(r.Last().MDE), WhyOpen: r.Why(v.o)}
		if r.Confirm != nil {
			jr.ConfirmRounds = len(r.Confirm.D)
		}
		out.Rows = append(out.Rows, jr)
	}
	for _, err := range v.warnings {
		out.Warnings = append(out.Warnings, err.Error())
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// table aligns columns for the text verdict.
type table struct {
	w    io.Writer
	rows [][]string
}

func newTable(w io.Writer, header []string) *table { return &table{w: w, rows: [][]string{header}} }

func (t *table) row(cells []string) { t.rows = append(t.rows, cells) }

func (t *table) flush() {
	width := make([]int, len(t.rows[0]))
	for _, r := range t.rows {
		for i, c := range r {
			width[i] = max(width[i], len([]rune(c)))
		}
	}
	for _, r := range t.rows {
		var b strings.Builder
		for i, c := range r {
			if i == len(r)-1 {
				b.WriteString(c)
				break
			}
			b.WriteString(c + strings.Repeat(" ", width[i]-len([]rune(c))+2))
		}
		fmt.Fprintln(t.w, strings.TrimRight(b.String(), " "))
	}
}
