package benchdata

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strings"

	"golang.org/x/perf/benchfmt"
	"golang.org/x/perf/benchproc"

	"github.com/inferbench/inferbench/internal/envstate"
	"github.com/inferbench/inferbench/tools/internal/validity"
)

// DegradedUnit is the metric unit that marks a result as degraded.
const DegradedUnit = "degraded"

// ReadFiles returns a Collection grouped by o holding the old and the new
// files. Several files per side add up, each read with its own benchfmt
// configuration; errors of all files are returned together.
func ReadFiles(o Options, oldPaths, newPaths []string) (*Collection, error) {
	c, err := NewCollection(o)
	if err != nil {
		return nil, err
	}
	var errs []error
	for side, paths := range [2][]string{oldPaths, newPaths} {
		if len(paths) == 0 {
			errs = append(errs, fmt.Errorf("%s: %w", Side(side), ErrNoResults))
		}
		for _, p := range paths {
			errs = append(errs, c.ReadFile(Side(side), p))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return c, nil
}

// ReadFile reads the named benchmark output file as the given side.
func (c *Collection) ReadFile(side Side, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("%s: %w", side, err)
	}
	defer f.Close()
	return c.Read(side, f, path)
}

// Read reads benchmark output from r, named name in errors, as the given
// side; reading several inputs per side adds them up. Malformed lines and non-finite values are returned together,
// each naming name and line, wrapped in ErrSyntax; an input without any
// benchmark result returns ErrNoResults. Either way the Collection keeps
// whatever was read.
func (c *Collection) Read(side Side, r io.Reader, name string) error {
	if side != Old && side != New {
		return fmt.Errorf("%w: side %d", ErrOption, side)
	}
	c.Files[side] = append(c.Files[side], name)
	if c.configs[side] == nil {
		c.configs[side] = make(map[string]map[string]bool)
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	runs := newRunState(data)
	return scan(data, name, func(m *benchfmt.UnitMetadata) { c.addUnitMetadata(side, m) }, func(res *benchfmt.Result) error {
		c.results[side]++
		return c.add(side, res, runs.of(res, func(label string, line int) int {
			c.Runs[side] = append(c.Runs[side], Run{File: name, Label: label, Line: line})
			return len(c.Runs[side]) - 1
		}))
	})
}

// scan reads benchfmt input, handing unit metadata and results to the
// callbacks. Syntax errors and the callbacks' errors are returned together
// wrapped in ErrSyntax; input without results gives ErrNoResults.
func scan(data []byte, name string, unit func(*benchfmt.UnitMetadata), result func(*benchfmt.Result) error) error {
	var errs, invalid []error
	results, lastSyntax := 0, 0
	trunc := newTruncation(data)
	br := benchfmt.NewReader(bytes.NewReader(data), name)
	for br.Scan() {
		switch rec := br.Result().(type) {
		case *benchfmt.SyntaxError:
			errs = append(errs, rec)
			lastSyntax = rec.Line
		case *benchfmt.UnitMetadata:
			unit(rec)
		case *benchfmt.Result:
			results++
			trunc.see(rec)
			if err := result(rec); errors.Is(err, validity.ErrInvalid) {
				invalid = append(invalid, err) // well formed, but no sample
			} else if err != nil {
				errs = append(errs, err)
			}
		}
	}
	if err := br.Err(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if err := trunc.check(name, lastSyntax); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return errors.Join(append([]error{fmt.Errorf("%w: %w", ErrSyntax, errors.Join(errs...))}, invalid...)...)
	}
	if len(invalid) > 0 {
		return errors.Join(invalid...)
	}
	if results == 0 {
		return fmt.Errorf("%s: %w", name, ErrNoResults)
	}
	return nil
}

func (c *Collection) addUnitMetadata(side Side, m *benchfmt.UnitMetadata) {
	if prev, ok := c.Units[m.UnitMetadataKey]; ok && prev.Value != m.Value {
		file, line := m.Pos()
		pfile, pline := prev.Pos()
		c.Warnings = append(c.Warnings, fmt.Errorf("%s:%d: unit %s: %s=%s overrides %s=%s from %s:%d",
			file, line, m.OrigUnit, m.Key, m.Value, m.Key, prev.Value, pfile, pline))
	}
	c.Units[m.UnitMetadataKey] = m
}

// runState tells the runs of one input apart.
type runState struct {
	headers  []int          // lines holding a header key, ascending
	next     int            // index of the first header line after the last result
	cur      int            // run of the current header block; -1 before the first
	labelled map[string]int // RunKey value → run index
}

func newRunState(data []byte) *runState {
	return &runState{headers: headerLines(data), labelled: make(map[string]int), cur: -1}
}

// headerLines returns the numbers of the lines that set a header key.
func headerLines(data []byte) []int {
	var out []int
	for i, line := range bytes.Split(data, []byte("\n")) {
		for _, k := range headerKeys {
			if bytes.HasPrefix(line, []byte(k+":")) {
				out = append(out, i+1)
				break
			}
		}
	}
	return out
}

// of returns the index of res's run, calling add (with the run's label
// and first line) where res starts one: a result stamped with a new
// RunKey value starts that run, an unstamped one after a header line a
// new run.
func (st *runState) of(res *benchfmt.Result, add func(label string, line int) int) int {
	_, line := res.Pos()
	header := false
	for st.next < len(st.headers) && st.headers[st.next] < line {
		st.next++
		header = true
	}
	if label := res.GetConfig(RunKey); label != "" {
		i, ok := st.labelled[label]
		if !ok {
			i = add(label, line)
			st.labelled[label] = i
		}
		return i
	}
	if header || st.cur < 0 {
		st.cur = add("", line)
	}
	return st.cur
}

// add files one result's values under their series, as values of run.
func (c *Collection) add(side Side, res *benchfmt.Result, run int) error {
	if err := check(res); err != nil {
		return err
	}
	for _, cfg := range res.Config {
		if !cfg.File {
			continue
		}
		vals := c.configs[side][cfg.Key]
		if vals == nil {
			vals = make(map[string]bool)
			c.configs[side][cfg.Key] = vals
		}
		vals[string(cfg.Value)] = true
	}
	if c.opts.Bench != nil && !c.opts.Bench.MatchString(res.Name.String()) {
		return nil
	}
	// Match's error only explains an empty match; it is not a failure.
	match, _ := c.filter.Match(res)
	if !match.Any() {
		return nil
	}
	if err := validity.Check(res); err != nil { // a wrong-output result is no sample
		return err
	}
	reasons := degraded(res)
	disturbed := Disturbed(res)
	var table benchproc.Key
	if c.table != nil {
		table = c.table.Project(res)
	}
	row := c.row.Project(res)
	residue := c.residue.Project(res)
	for i, v := range res.Values {
		if match.Test(i) && envstate.IsUnit(v.Unit) {
			c.addEnv(side, v.Unit, v.Value)
		}
		if !match.Test(i) || v.Unit == DegradedUnit || envstate.IsUnit(v.Unit) || validity.IsCheckUnit(v.Unit) {
			continue
		}
		if c.opts.Unit != nil && !c.opts.Unit.MatchString(v.Unit) && !c.opts.Unit.MatchString(v.OrigUnit) {
			continue
		}
		if _, ok := c.unitOrder[v.Unit]; !ok {
			c.unitOrder[v.Unit] = len(c.unitOrder)
		}
		k := Key{Table: table, Row: row, Unit: v.Unit}
		s := c.series[k]
		if s == nil {
			s = &Series{Key: k}
			c.series[k] = s
		}
		if s.Pos[side] == "" {
			file, line := res.Pos()
			s.Pos[side] = fmt.Sprintf("%s:%d", file, line)
		}
		s.Values[side] = append(s.Values[side], v.Value)
		s.Run[side] = append(s.Run[side], run)
		for _, r := range reasons {
			if !slices.Contains(s.Degraded[side], r) {
				s.Degraded[side] = append(s.Degraded[side], r)
			}
		}
		if len(disturbed) > 0 {
			s.Disturbed[side]++
		}
		for _, r := range disturbed {
			if !slices.Contains(s.DisturbedWhy[side], r) {
				s.DisturbedWhy[side] = append(s.DisturbedWhy[side], r)
			}
		}
		if s.residues[side] == nil {
			s.residues[side] = make(map[benchproc.Key]struct{})
		}
		s.residues[side][residue] = struct{}{}
	}
	return nil
}

// check rejects a result with a non-finite or degenerate value (see
// ErrDegenerate), or a negative value of a unit that cannot be negative,
// naming its file and line.
func check(res *benchfmt.Result) error {
	for _, v := range res.Values {
		file, line := res.Pos()
		if err := degenerate(res, v); err != nil {
			return err
		}
		if math.IsNaN(v.Value) || math.IsInf(v.Value, 0) {
			return fmt.Errorf("%s:%d: Benchmark%s: non-finite value %v %s", file, line, res.Name.Full(), valueOf(v), unitOf(v))
		}
		if v.Value < 0 && NonNegative(v.Unit) {
			return fmt.Errorf("%s:%d: Benchmark%s: %w %v %s: a %s cannot be negative", file, line, res.Name.Full(), ErrNegative, valueOf(v), unitOf(v), quantity(v.Unit))
		}
	}
	return nil
}

// quantity names what unit measures, for error messages.
func quantity(unit string) string {
	switch {
	case strings.HasSuffix(unit, "/s"):
		return "rate"
	case strings.HasSuffix(unit, "/op") && unit != "sec/op":
		return "count per operation"
	}
	if _, ok := Seconds(unit); ok {
		return "duration"
	}
	return "size"
}

// valueOf returns the value as written.
func valueOf(v benchfmt.Value) float64 {
	if v.OrigUnit != "" {
		return v.OrigValue
	}
	return v.Value
}

func unitOf(v benchfmt.Value) string {
	if v.OrigUnit != "" {
		return v.OrigUnit
	}
	return v.Unit
}

// Disturbed returns why the machine's state disturbed res, if it did:
// envstate.Judge over the environment metrics it recorded (package
// envstate, written by the benchmarks' harness), with the default
// thresholds.
func Disturbed(res *benchfmt.Result) []string {
	var units []string
	var vals []float64
	for _, v := range res.Values {
		if envstate.IsUnit(v.Unit) {
			units = append(units, v.Unit)
			vals = append(vals, v.Value)
		}
	}
	return envstate.JudgeValues(units, vals, envstate.Default)
}

// degraded returns why res is degraded, if it is; see the package
// documentation for the convention.
func degraded(res *benchfmt.Result) []string {
	var reasons []string
	if r := res.GetConfig("degraded"); r != "" {
		reasons = append(reasons, r)
	}
	_, parts := res.Name.Parts()
	for _, p := range parts {
		p := strings.TrimPrefix(string(p), "/")
		if p == "degraded" {
			reasons = append(reasons, "degraded")
		} else if r, ok := strings.CutPrefix(p, "degraded="); ok {
			reasons = append(reasons, r)
		}
	}
	for _, v := range res.Values {
		if v.Unit == DegradedUnit && v.Value != 0 {
			reasons = append(reasons, fmt.Sprintf("metric %s=%g", DegradedUnit, v.Value))
		}
	}
	return reasons
}
