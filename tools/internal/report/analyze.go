package report

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/aclements/go-moremath/stats"
	"gonum.org/v1/gonum/stat"

	"github.com/inferbench/inferbench/tools/internal/abtest"
	"github.com/inferbench/inferbench/tools/internal/gate"
)

// Options configure Analyze.
type Options struct {
	// Baseline is the backend every other is compared with; empty picks
	// ort-cpu when present, else the first backend by name.
	Baseline string
	// Alpha is the family-wise significance level of the matrix.
	Alpha float64
}

// DefaultOptions are the defaults of tools/report.
var DefaultOptions = Options{Alpha: 0.05}

// Comparison is one cell of the speed-up matrix.
type Comparison struct {
	Backend, Scenario string
	NBase, N          int
	// Speedup is the baseline's median latency over the backend's: above
	// 1, the backend is faster.
	Speedup  float64
	P, PHolm float64
	// Delta is Cliff's δ: P(backend run faster than a baseline run) −
	// P(slower), from −1 to 1.
	Delta float64
	// MDE is the smallest change of the mean, relative to the baseline's
	// median, that the test would detect with gate.Power at the strictest
	// Holm level Alpha/m (abtest.MDE); +Inf when the sample sizes cannot
	// reach it at all.
	MDE float64
	// Significant: PHolm < Alpha.
	Significant bool
	// Degraded: the backend's or the baseline's results are degraded.
	Degraded bool
	// Untestable explains why no test was made (too few samples).
	Untestable string
}

// Faster reports a significant, non-degraded speed-up: the only cells
// that are ranked.
func (c *Comparison) Faster() bool { return c.Significant && !c.Degraded && c.Speedup > 1 }

// BreakEven is the calls after which a backend that is faster per call but
// slower to create pays off against the baseline.
type BreakEven struct {
	Backend, Scenario string
	// Calls is the break-even number of calls; 0 when the backend is
	// also faster to create (it pays off at once); -1 when it never pays
	// off or nothing can be said.
	Calls int
	Note  string
}

// Analysis is the report's content.
type Analysis struct {
	Data      *Data
	Options   Options
	Baseline  string
	Backends  []string // sorted, baseline first
	Scenarios []string // by tokens per call, then name
	Tokens    map[string]float64
	Matrix    []*Comparison
	BreakEven []BreakEven
	Invalid   []string
	Warnings  []string
}

// ErrBaseline reports an unknown baseline backend.
var ErrBaseline = errors.New("report: unknown baseline")

// Analyze compares every backend with the baseline and checks validity.
func Analyze(d *Data, o Options) (*Analysis, error) {
	if !(o.Alpha > 0 && o.Alpha < 1) {
		return nil, fmt.Errorf("report: alpha %v must be in (0, 1)", o.Alpha)
	}
	a := &Analysis{Data: d, Options: o, Tokens: make(map[string]float64)}
	for b := range d.Cells {
		a.Backends = append(a.Backends, b)
	}
	sort.Strings(a.Backends)
	a.Baseline = o.Baseline
	if a.Baseline == "" {
		a.Baseline = a.Backends[0]
		if d.Cells["ort-cpu"] != nil {
			a.Baseline = "ort-cpu"
		}
	}
	if d.Cells[a.Baseline] == nil {
		return nil, fmt.Errorf("%w %q: the inputs have %v", ErrBaseline, a.Baseline, a.Backends)
	}
	a.Backends = append([]string{a.Baseline}, slices.DeleteFunc(a.Backends, func(b string) bool { return b == a.Baseline })...)
	a.scenarios()
	a.compare()
	a.breakEven()
	a.validate()
	return a, nil
}

// median returns the median of x (NaN when empty).
func median(x []float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	s := slices.Clone(x)
	slices.Sort(s)
	return stat.Quantile(0.5, stat.Empirical, s, nil)
}

// scenarios orders the scenarios by tokens per call.
func (a *Analysis) scenarios() {
	seen := make(map[string]bool)
	for _, b := range a.Backends {
		for s, c := range a.Data.Cells[b] {
			if tok := median(c.Tokens); !math.IsNaN(tok) && a.Tokens[s] == 0 {
				a.Tokens[s] = math.Round(tok)
			}
			if !seen[s] {
				seen[s] = true
				a.Scenarios = append(a.Scenarios, s)
			}
		}
	}
	sort.Slice(a.Scenarios, func(i, j int) bool {
		x, y := a.Scenarios[i], a.Scenarios[j]
		if a.Tokens[x] != a.Tokens[y] {
			return a.Tokens[x] < a.Tokens[y]
		}
		return x < y
	})
}

func (a *Analysis) compare() {
	var family []*Comparison
	var ps []float64
	for _, s := range a.Scenarios {
		base := a.Data.Cells[a.Baseline][s]
		for _, b := range a.Backends[1:] {
			c := a.Data.Cells[b][s]
			if c == nil || base == nil {
				continue
			}
			x, _ := base.Latency()
			y, _ := c.Latency()
			cmp := &Comparison{Backend: b, Scenario: s, NBase: len(x), N: len(y),
				Speedup: median(x) / median(y), P: math.NaN(), PHolm: math.NaN(), Delta: cliff(x, y),
				Degraded: len(c.Degraded) > 0 || len(base.Degraded) > 0}
			a.Matrix = append(a.Matrix, cmp)
			if len(x) == 0 || len(y) == 0 {
				cmp.Untestable = "no samples"
				continue
			}
			res, err := stats.MannWhitneyUTest(x, y, stats.LocationDiffers)
			switch {
			case errors.Is(err, stats.ErrSamplesEqual):
				cmp.P = 1
			case err != nil:
				cmp.Untestable = err.Error()
				continue
			default:
				cmp.P = res.P
			}
			family = append(family, cmp)
			ps = append(ps, cmp.P)
		}
	}
	for i, adj := range abtest.Holm(ps) {
		c := family[i]
		c.PHolm = adj
		c.Significant = adj < a.Options.Alpha
		x, _ := a.Data.Cells[a.Baseline][c.Scenario].Latency()
		y, _ := a.Data.Cells[c.Backend][c.Scenario].Latency()
		c.MDE = math.NaN()
		if mde, err := abtest.MDE(x, y, a.Options.Alpha/float64(len(family)), gate.Power); err == nil {
			c.MDE = mde / median(x)
		}
	}
}

// cliff returns Cliff's δ of y against x for latencies: the share of pairs
// where y is lower minus the share where it is higher.
func cliff(x, y []float64) float64 {
	if len(x) == 0 || len(y) == 0 {
		return math.NaN()
	}
	var more, less int
	for _, xi := range x {
		for _, yj := range y {
			switch {
			case yj < xi:
				less++
			case yj > xi:
				more++
			}
		}
	}
	return float64(less-more) / float64(len(x)*len(y))
}

// Ranking returns the scenario's ranked cells: significant, non-degraded
// speed-ups, fastest first.
func (a *Analysis) Ranking(scenario string) []*Comparison {
	var out []*Comparison
	for _, c := range a.Matrix {
		if c.Scenario == scenario && c.Faster() {
			out = append(out, c)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Speedup > out[j].Speedup })
	return out
}

// Cell returns the matrix cell of a backend and scenario, or nil.
func (a *Analysis) Cell(backend, scenario string) *Comparison {
	for _, c := range a.Matrix {
		if c.Backend == backend && c.Scenario == scenario {
			return c
		}
	}
	return nil
}

// breakEven computes, per significant non-degraded speed-up, after how many
// calls the backend's extra session-creation time is paid back.
func (a *Analysis) breakEven() {
	baseBuild := median(a.Data.Build[a.Baseline])
	for _, c := range a.Matrix {
		if !c.Faster() {
			continue
		}
		be := BreakEven{Backend: c.Backend, Scenario: c.Scenario, Calls: -1}
		build := median(a.Data.Build[c.Backend])
		x, _ := a.Data.Cells[a.Baseline][c.Scenario].Latency()
		y, _ := a.Data.Cells[c.Backend][c.Scenario].Latency()
		saved := (median(x) - median(y)) / 1e3 // seconds per call
		switch {
		case math.IsNaN(build) || math.IsNaN(baseBuild):
			be.Note = "no SessionCreate results"
		case build <= baseBuild:
			be.Calls, be.Note = 0, "faster to create too: pays off at once"
		default:
			be.Calls = int(math.Ceil((build - baseBuild) / saved))
			be.Note = fmt.Sprintf("%.3g ms more to create, %.3g ms saved per call", 1e3*(build-baseBuild), 1e3*saved)
		}
		a.BreakEven = append(a.BreakEven, be)
	}
}
