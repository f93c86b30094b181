package benchdata

import (
	"cmp"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"

	"golang.org/x/perf/benchfmt"
	"golang.org/x/perf/benchproc"
)

// Side says which input a measurement came from.
type Side int

// The two sides of an A/B comparison.
const (
	Old Side = 0
	New Side = 1
)

func (s Side) String() string {
	if s == Old {
		return "old"
	}
	return "new"
}

var (
	// ErrSyntax reports malformed benchmark input.
	ErrSyntax = errors.New("malformed benchmark input")
	// ErrNoResults reports an input without a single benchmark result.
	ErrNoResults = errors.New("no benchmark results")
	// ErrOption reports an invalid grouping or selection option.
	ErrOption = errors.New("invalid option")
	// ErrNegative reports a negative value of a unit that cannot be
	// negative (see NonNegative).
	ErrNegative = errors.New("negative value")
)

// RunKey is the configuration key that names the run (the process) a
// result came from; tools/compare stamps "run: <round>/<side>".
const RunKey = "run"

// headerKeys are the configuration keys the testing package prints once
// per process, before its first benchmark: in input without run stamps
// each new block of them starts a new run.
var headerKeys = []string{"goos", "goarch", "pkg", "cpu"}

// Run is the output of one process, the unit of replication: heap
// layout, RSS, frequency state and thread placement are fixed per
// process, so the samples of one run share them.
type Run struct {
	File  string // input name, as passed to Read
	Label string // the run's RunKey value; "" when told apart by its header block
	Line  int    // line of its first result
}

func (r Run) String() string {
	if r.Label != "" {
		return fmt.Sprintf("%s run %s", r.File, r.Label)
	}
	return fmt.Sprintf("%s:%d", r.File, r.Line)
}

// Options select and group measurements.
type Options struct {
	// Table is a benchproc projection that splits series into tables,
	// such as "/backend" or "goos,goarch". Empty: one table.
	Table string
	// Row is a benchproc projection naming rows; empty means ".fullname".
	Row string
	// Filter is a benchproc filter query; empty means "*".
	Filter string
	// Bench keeps only benchmarks whose full name (without the
	// "Benchmark" prefix, with sub-names and the -GOMAXPROCS suffix)
	// matches. Nil keeps all.
	Bench *regexp.Regexp
	// Unit keeps only units matching either as written in the input
	// ("ns/op") or tidied ("sec/op"). Nil keeps all.
	Unit *regexp.Regexp
	// Ignore lists configuration keys whose values may differ between
	// the old and new inputs (ConfigDiff) or within a series (Varies)
	// without a warning, such as "commit". "degraded" is always ignored:
	// it is reported as such.
	Ignore []string
}

// Key identifies a series.
type Key struct {
	Table benchproc.Key // zero when Options.Table is empty
	Row   benchproc.Key
	Unit  string // tidied unit
}

// Series holds every measurement of one benchmark in one unit, per side.
type Series struct {
	Key Key
	// Values are the measurements in input order.
	Values [2][]float64
	// Run holds, for each value, the index of its run in the
	// Collection's Runs of that side.
	Run [2][]int
	// Degraded lists the distinct reasons results were degraded.
	Degraded [2][]string
	// Disturbed counts the values whose result the machine's state
	// disturbed (Disturbed), and DisturbedWhy lists the distinct reasons.
	Disturbed    [2]int
	DisturbedWhy [2][]string
	// Pos is "file:line" of the series' first value per side.
	Pos      [2]string
	residues [2]map[benchproc.Key]struct{}
}

// Name is the row label, such as "Prefill/backend=ort-cpu/scenario=single_micro-8".
func (s *Series) Name() string { return s.Key.Row.StringValues() }

// Table is the table label, such as "/backend:ort-cpu", or "".
func (s *Series) Table() string {
	if s.Key.Table.IsZero() {
		return ""
	}
	return s.Key.Table.String()
}

// ByRun returns the side's values grouped by run, runs in order of their
// first value.
func (s *Series) ByRun(side Side) [][]float64 {
	var out [][]float64
	index := make(map[int]int)
	for i, v := range s.Values[side] {
		r := s.Run[side][i]
		j, ok := index[r]
		if !ok {
			j = len(out)
			index[r] = j
			out = append(out, nil)
		}
		out[j] = append(out[j], v)
	}
	return out
}

// Runs returns how many runs the side's values came from.
func (s *Series) Runs(side Side) int { return len(s.ByRun(side)) }

// Varies names the configuration fields that took more than one value
// among the side's results: measurements the projections lumped together
// although they were made under different configurations.
func (s *Series) Varies(side Side) []string {
	keys := make([]benchproc.Key, 0, len(s.residues[side]))
	for k := range s.residues[side] {
		keys = append(keys, k)
	}
	var names []string
	for _, f := range benchproc.NonSingularFields(keys) {
		names = append(names, f.Name)
	}
	return names
}

// A Collection groups the measurements of an old and a new input.
type Collection struct {
	// Files names the inputs of each side as passed to Read, in order.
	Files [2][]string
	// Units is the unit metadata of both inputs; new overrides old.
	Units benchfmt.UnitMetadataMap
	// Warnings are problems that do not make the input unusable.
	Warnings []error
	// Runs lists each side's runs in order of appearance; see package
	// documentation for how they are told apart.
	Runs [2][]Run

	opts      Options
	filter    *benchproc.Filter
	table     *benchproc.Projection
	row       *benchproc.Projection
	residue   *benchproc.Projection
	series    map[Key]*Series
	unitOrder map[string]int
	configs   [2]map[string]map[string]bool
	results   [2]int
	env       [2]map[string][]float64
}

func (c *Collection) addEnv(side Side, unit string, v float64) {
	if c.env[side] == nil {
		c.env[side] = make(map[string][]float64)
	}
	c.env[side][unit] = append(c.env[side][unit], v)
}

// EnvValues returns every value of an environment metric (package
// envstate, such as the mean SM clock "gpu-sm-MHz") among the side's
// selected results, in input order; nil if none recorded it.
func (c *Collection) EnvValues(side Side, unit string) []float64 { return c.env[side][unit] }

// NewCollection returns an empty Collection grouping by o.
func NewCollection(o Options) (*Collection, error) {
	if o.Row == "" {
		o.Row = ".fullname"
	}
	if o.Filter == "" {
		o.Filter = "*"
	}
	filter, err := benchproc.NewFilter(o.Filter)
	if err != nil {
		return nil, fmt.Errorf("%w: -filter: %w", ErrOption, err)
	}
	c := &Collection{
		opts:      o,
		filter:    filter,
		Units:     make(benchfmt.UnitMetadataMap),
		series:    make(map[Key]*Series),
		unitOrder: make(map[string]int),
	}
	var pp benchproc.ProjectionParser
	if o.Table != "" {
		if c.table, err = pp.Parse(o.Table, filter); err != nil {
			return nil, fmt.Errorf("%w: -table: %w", ErrOption, err)
		}
	}
	if c.row, err = pp.Parse(o.Row, filter); err != nil {
		return nil, fmt.Errorf("%w: -row: %w", ErrOption, err)
	}
	// The degraded marker is reported as such, and the run stamp is the
	// run's identity, not a configuration difference.
	o.Ignore = append(slices.Clone(o.Ignore), "degraded", RunKey)
	c.opts.Ignore = o.Ignore
	for _, k := range o.Ignore {
		// Parsing a projection excludes its keys from the residue.
		if _, err := pp.Parse(k, filter); err != nil {
			return nil, fmt.Errorf("%w: -ignore: %w", ErrOption, err)
		}
	}
	c.residue = pp.Residue()
	return c, nil
}

// Results reports how many benchmark result lines the side's input had,
// before any selection.
func (c *Collection) Results(side Side) int { return c.results[side] }

// Series returns every series, ordered by table, then unit in order of
// first appearance, then row.
func (c *Collection) Series() []*Series {
	out := make([]*Series, 0, len(c.series))
	for _, s := range c.series {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i].Key, out[j].Key
		if a.Table != b.Table {
			return a.Table.Less(b.Table)
		}
		if a.Unit != b.Unit {
			return c.unitOrder[a.Unit] < c.unitOrder[b.Unit]
		}
		return a.Row.Less(b.Row)
	})
	return out
}

// ConfigValues returns the distinct values the configuration key took in
// the side's inputs, sorted; nil if it never appeared.
func (c *Collection) ConfigValues(side Side, key string) []string {
	var out []string
	for v := range c.configs[side][key] {
		out = append(out, v)
	}
	slices.Sort(out)
	return out
}

// ConfigDiff names the configuration keys, other than Options.Ignore,
// whose values differ between the old and new inputs, sorted.
func (c *Collection) ConfigDiff() []string {
	var diff []string
	seen := make(map[string]bool)
	for side := range c.configs {
		for k := range c.configs[side] {
			if seen[k] || slices.Contains(c.opts.Ignore, k) {
				continue
			}
			seen[k] = true
			a, b := c.configs[Old][k], c.configs[New][k]
			if len(a) != len(b) {
				diff = append(diff, k)
				continue
			}
			for v := range a {
				if !b[v] {
					diff = append(diff, k)
					break
				}
			}
		}
	}
	slices.SortFunc(diff, cmp.Compare)
	return diff
}
