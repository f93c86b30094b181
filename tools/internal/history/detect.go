package history

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"

	"gonum.org/v1/gonum/stat"

	"github.com/inferbench/inferbench/internal/envstate"
	"github.com/inferbench/inferbench/tools/internal/benchdata"
	"github.com/inferbench/inferbench/tools/internal/changepoint"
	"github.com/inferbench/inferbench/tools/internal/gate"
	"github.com/inferbench/inferbench/tools/internal/validity"
)

// Options configure Analyze.
type Options struct {
	// Threshold is the relative worsening of the latest segment against
	// the one before it that counts as a regression.
	Threshold float64
	// Alpha is the family-wise significance level over all series.
	Alpha float64
	// Permutations is the least number of shuffles per test; more are run
	// when Alpha/series needs them.
	Permutations int
	// MinSize is the fewest commits in a segment.
	MinSize int
	// Seed seeds the permutation tests.
	Seed uint64
	// Bench and Unit select series by full benchmark name and unit
	// (as written or tidied); nil selects all.
	Bench, Unit *regexp.Regexp
}

// DefaultOptions match benchgate's A/B defaults where they overlap.
var DefaultOptions = Options{Threshold: 0.05, Alpha: 0.05, Permutations: changepoint.DefaultOptions.Permutations,
	MinSize: changepoint.DefaultOptions.MinSize, Seed: changepoint.DefaultOptions.Seed}

// ErrNoSeries reports that nothing was selected.
var ErrNoSeries = errors.New("history: no benchmark series selected")

// Change is one change point of a series.
type Change struct {
	Index          int     // first commit of the new segment
	Commit         string  // its hash
	Before, After  float64 // medians of the segments either side
	Rel            float64 // After/Before - 1
	Worse          bool
	P              float64
	Permutations   int
	SegmentCommits int // commits in the new segment
	// Unconfirmed: the change is in the last MinSize commits, where the
	// method cannot place it for sure; it is at or after Commit (see
	// trailing.go).
	Unconfirmed bool
	// TailTest: found by the t test of the last commits (P is its
	// Bonferroni-adjusted p-value), not by E-divisive.
	TailTest bool
}

// Series is one benchmark × unit over the commits.
type Series struct {
	Name, Unit string
	Better     gate.Direction
	// Commits and Values: the commits that have the benchmark, and their
	// medians.
	Commits   []*Commit
	Values    []float64
	Changes   []Change
	Degraded  int // results left out as degraded
	Disturbed int // results left out because the machine disturbed them (benchdata.Disturbed)
	// Since is the index in Changes of the first of the trailing run of
	// worse changes (-1 if the last change is not worse), and Drift the
	// latest segment's level relative to the segment before that run:
	// the whole regression, a creep of several steps included.
	Since int
	Drift float64
	// Regression is set when |Drift| exceeds the threshold.
	Regression bool
	// Trailing is the test of the last commits (see trailing.go).
	Trailing TrailingResult
}

// Result is the analysis of a directory.
type Result struct {
	Data      *Data
	Options   Options
	Series    []*Series
	PerSeries changepoint.Options // the options each series was tested with
	Warnings  []error
}

// Regressions returns the series whose latest segment regressed.
func (r *Result) Regressions() []*Series {
	var out []*Series
	for _, s := range r.Series {
		if s.Regression {
			out = append(out, s)
		}
	}
	return out
}

// Inconclusive says, per series, why its latest commits could not be
// judged: a worse tail beyond the threshold that is not significant; or,
// when no series has enough commits for a change point, that.
func (r *Result) Inconclusive() []string {
	var out []string
	tested := 0
	for _, s := range r.Series {
		if len(s.Values) >= 2*r.Options.MinSize {
			tested++
		}
		if s.Trailing.Inconclusive != "" {
			out = append(out, fmt.Sprintf("%s %s: %s", s.Name, s.Unit, s.Trailing.Inconclusive))
		}
	}
	if tested == 0 {
		out = append(out, fmt.Sprintf("no series has the %d commits a change point needs: nothing could be judged", 2*r.Options.MinSize))
	}
	return out
}

type key struct{ name, unit string }

// Analyze finds the change points of every selected series of d.
func Analyze(d *Data, o Options) (*Result, error) {
	if !(o.Alpha > 0 && o.Alpha < 1) || !(o.Threshold >= 0) {
		return nil, fmt.Errorf("history: alpha %v must be in (0, 1) and threshold %v ≥ 0", o.Alpha, o.Threshold)
	}
	if o.Permutations < 1 || o.MinSize < 2 {
		return nil, fmt.Errorf("history: permutations %d must be ≥ 1 and min-segment %d ≥ 2", o.Permutations, o.MinSize)
	}
	res := &Result{Data: d, Options: o}
	res.Warnings = append(res.Warnings, machines(d)...)
	index := make(map[key]*Series)
	var order []key
	type run struct {
		file string
		run  int
	}
	for _, c := range d.Commits {
		vals := make(map[key]map[run][]float64)
		degraded := make(map[key]int)
		disturbed := make(map[key]int)
		for _, r := range c.Recs {
			name := string(r.Name.Full())
			if o.Bench != nil && !o.Bench.MatchString(name) {
				continue
			}
			if why := validity.Invalid(r.Result); why != "" {
				file, line := r.Pos()
				res.Warnings = append(res.Warnings, fmt.Errorf("%s:%d: Benchmark%s (commit %.12s): %w, left out: %s", file, line, name, c.Commit, validity.ErrInvalid, why))
				continue
			}
			for _, v := range r.Values {
				if v.Unit == "degraded" || envstate.IsUnit(v.Unit) || validity.IsCheckUnit(v.Unit) {
					continue
				}
				if o.Unit != nil && !o.Unit.MatchString(v.Unit) && !o.Unit.MatchString(v.OrigUnit) {
					continue
				}
				k := key{name, v.Unit}
				if len(r.Degraded) > 0 {
					degraded[k]++
					continue
				}
				if len(r.Disturbed) > 0 {
					disturbed[k]++
					continue
				}
				if vals[k] == nil {
					vals[k] = make(map[run][]float64)
				}
				file, _ := r.Pos()
				rk := run{file, r.Run}
				vals[k][rk] = append(vals[k][rk], v.Value)
			}
		}
		for k, n := range degraded {
			s := series(index, &order, k, d)
			s.Degraded += n
		}
		for k, n := range disturbed {
			series(index, &order, k, d).Disturbed += n
		}
		for k, runs := range vals {
			s := series(index, &order, k, d)
			// The run (process) is the unit of replication: the commit's
			// value is the median of its runs' medians.
			var meds []float64
			for _, vs := range runs {
				meds = append(meds, median(vs))
			}
			s.Commits = append(s.Commits, c)
			s.Values = append(s.Values, median(meds))
		}
	}
	if len(order) == 0 {
		return nil, ErrNoSeries
	}
	slices.SortFunc(order, func(a, b key) int {
		if a.name != b.name {
			return strings.Compare(a.name, b.name)
		}
		return strings.Compare(a.unit, b.unit)
	})
	co := changepoint.Options{Alpha: o.Alpha / float64(len(order)), MinSize: o.MinSize, Seed: o.Seed}
	co.Permutations = max(o.Permutations, changepoint.MinPermutations(co.Alpha))
	res.PerSeries = co
	for _, k := range order {
		s := index[k]
		s.Since = -1
		res.Series = append(res.Series, s)
		if s.Degraded > 0 {
			res.Warnings = append(res.Warnings, fmt.Errorf("%s %s: %d degraded results left out", s.Name, s.Unit, s.Degraded))
		}
		if s.Disturbed > 0 {
			res.Warnings = append(res.Warnings, fmt.Errorf("%s %s: %d results measured while the machine was disturbed left out", s.Name, s.Unit, s.Disturbed))
		}
		if len(s.Values) < 2*o.MinSize {
			res.Warnings = append(res.Warnings, fmt.Errorf("%s %s: %d commits, fewer than the %d a change point needs", s.Name, s.Unit, len(s.Values), 2*o.MinSize))
			continue
		}
		cps, err := changepoint.Detect(s.Values, co)
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", s.Name, s.Unit, err)
		}
		s.describe(cps, o, co.Alpha)
	}
	return res, nil
}

func series(index map[key]*Series, order *[]key, k key, d *Data) *Series {
	s := index[k]
	if s == nil {
		better, _ := gate.UnitDirection(d.Units, k.unit)
		s = &Series{Name: k.name, Unit: k.unit, Better: better}
		index[k] = s
		*order = append(*order, k)
	}
	return s
}

// Level returns the median of the values in [from, to).
func (s *Series) Level(from, to int) float64 { return median(s.Values[from:to]) }

// median returns the median of x, which it does not modify.
func median(x []float64) float64 {
	seg := slices.Clone(x)
	slices.Sort(seg)
	return stat.Quantile(0.5, stat.Empirical, seg, nil)
}

func (s *Series) describe(cps []changepoint.Change, o Options, alpha float64) {
	threshold := o.Threshold
	bounds := []int{0}
	for _, c := range cps {
		bounds = append(bounds, c.Index)
	}
	bounds = append(bounds, len(s.Values))
	for i, c := range cps {
		before := s.Level(bounds[i], bounds[i+1])
		after := s.Level(bounds[i+1], bounds[i+2])
		rel := after/before - 1
		if before == 0 {
			rel = math.Copysign(math.Inf(1), after)
		}
		s.Changes = append(s.Changes, Change{
			Index: c.Index, Commit: s.Commits[c.Index].Commit, Before: before, After: after, Rel: rel,
			Worse: (after-before)*float64(s.Better) < 0, P: c.P, Permutations: c.Permutations,
			SegmentCommits: bounds[i+2] - bounds[i+1],
		})
	}
	s.trailing(o.MinSize, alpha, threshold)
	s.Since = -1
	n := len(s.Changes)
	if n == 0 || !s.Changes[n-1].Worse {
		return
	}
	s.Since = n - 1
	for s.Since > 0 && s.Changes[s.Since-1].Worse {
		s.Since--
	}
	before, latest := s.Changes[s.Since].Before, s.Changes[n-1].After
	s.Drift = latest/before - 1
	if before == 0 {
		s.Drift = math.Copysign(math.Inf(1), latest)
	}
	s.Regression = math.Abs(s.Drift) > threshold
}

// machines warns about machine configuration that changes between commits:
// a change point there may be the machine's, not the code's.
func machines(d *Data) []error {
	type change struct{ value, commit string }
	seen := make(map[string][]change)
	var keys []string
	for _, c := range d.Commits {
		vals := make(map[string]string)
		for _, r := range c.Recs {
			for _, cfg := range r.Config {
				if benchdata.IsMachineKey(cfg.Key) {
					vals[cfg.Key] = string(cfg.Value)
				}
			}
		}
		for k, v := range vals {
			cs := seen[k]
			if len(cs) == 0 {
				keys = append(keys, k)
			}
			if len(cs) == 0 || cs[len(cs)-1].value != v {
				seen[k] = append(cs, change{v, c.Short()})
			}
		}
	}
	slices.Sort(keys)
	var out []error
	for _, k := range keys {
		if cs := seen[k]; len(cs) > 1 {
			var parts []string
			for _, c := range cs {
				parts = append(parts, fmt.Sprintf("%q from %s", c.value, c.commit))
			}
			out = append(out, fmt.Errorf("the machine changed: %s is %s; change points there may be the machine's", k, strings.Join(parts, ", ")))
		}
	}
	return out
}
