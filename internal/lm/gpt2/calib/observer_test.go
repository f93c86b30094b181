package calib_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/inferbench/inferbench/internal/lm/gpt2/calib"
	"github.com/inferbench/inferbench/internal/lm/gpt2/graph"
)

// ramp is 1, 2, …, n as float32.
func ramp(n int) []float32 {
	v := make([]float32, n)
	for i := range v {
		v[i] = float32(i + 1)
	}
	return v
}

func TestObserverRange(t *testing.T) {
	gauss := make([]float32, 1_000_000)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range gauss {
		gauss[i] = float32(r.NormFloat64())
	}
	tests := []struct {
		name   string
		values []float32
		method calib.Method
		p      float64
		want   graph.Range
		tol    float64 // beyond the bin width
	}{
		{"minmax ramp", ramp(10000), calib.MinMax, 0, graph.Range{Min: 1, Max: 10000}, 0},
		{"minmax negative", []float32{-3, -1.5, -2}, calib.MinMax, 0, graph.Range{Min: -3, Max: -1.5}, 0},
		// 1%·10000 = 100 values may go at each end: [101, 9900].
		{"percentile-99 ramp", ramp(10000), calib.Percentile, 99, graph.Range{Min: 101, Max: 9900}, 0},
		// 100 keeps everything, clamped to the values seen.
		{"percentile-100 ramp", ramp(10000), calib.Percentile, 100, graph.Range{Min: 1, Max: 10000}, 0},
		// N(0, 1): the 0.01% tails start at ±3.719; sampling error of a
		// 1e6-sample quantile there is about ±0.04.
		{"percentile-99.99 gauss", gauss, calib.Percentile, 99.99, graph.Range{Min: -3.719, Max: 3.719}, 0.06},
		// Percentile with all values equal.
		{"percentile constant", []float32{2, 2, 2, 2}, calib.Percentile, 99.9, graph.Range{Min: 2, Max: 2}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := calib.NewObserver(tt.method == calib.Percentile)
			// Feed in two parts so the histogram regrows between them.
			half := len(tt.values) / 2
			for _, part := range [][]float32{tt.values[:half], tt.values[half:]} {
				if err := o.Observe(part); err != nil {
					t.Fatal(err)
				}
			}
			if o.Count() != int64(len(tt.values)) {
				t.Errorf("count %d, want %d", o.Count(), len(tt.values))
			}
			got, err := o.Range(tt.method, tt.p)
			if err != nil {
				t.Fatal(err)
			}
			tol := o.BinWidth() + tt.tol
			// Percentile ranges err on the wide side by less than a bin.
			if d := float64(tt.want.Min - got.Min); d < -tt.tol || d > tol {
				t.Errorf("min %v, want %v (−%g…+%g)", got.Min, tt.want.Min, tol, tt.tol)
			}
			if d := float64(got.Max - tt.want.Max); d < -tt.tol || d > tol {
				t.Errorf("max %v, want %v (−%g…+%g)", got.Max, tt.want.Max, tt.tol, tol)
			}
			t.Logf("range [%v, %v], bin width %.3g", got.Min, got.Max, o.BinWidth())
		})
	}
}

// Growing the histogram merges bins without losing counts: a percentile
// computed after values of increasing magnitude equals the one computed
// after the same values largest first.
func TestObserverGrowth(t *testing.T) {
	v := ramp(4096)
	for i := range v {
		v[i] = v[i] * v[i] / 1000 // 0.001 … 16777
	}
	up, down := calib.NewObserver(true), calib.NewObserver(true)
	for i := 0; i < len(v); i += 64 {
		if err := up.Observe(v[i : i+64]); err != nil {
			t.Fatal(err)
		}
		j := len(v) - i
		if err := down.Observe(v[j-64 : j]); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []float64{60, 90, 99, 99.9, 100} {
		a, _ := up.Range(calib.Percentile, p)
		b, _ := down.Range(calib.Percentile, p)
		if a != b {
			t.Errorf("percentile %v: ascending feed gives %v, descending %v", p, a, b)
		}
	}
}

func TestObserverErrors(t *testing.T) {
	o := calib.NewObserver(true)
	if _, err := o.Range(calib.Percentile, 99); !errors.Is(err, calib.ErrOptions) {
		t.Errorf("empty observer: %v, want ErrOptions", err)
	}
	if err := o.Observe([]float32{1, float32(math.NaN())}); err == nil {
		t.Error("NaN accepted")
	}
	if err := o.Observe([]float32{1, 2}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []float64{50, 100.5, -1} {
		if _, err := o.Range(calib.Percentile, p); !errors.Is(err, calib.ErrOptions) {
			t.Errorf("percentile %v: %v, want ErrOptions", p, err)
		}
	}
	if _, err := calib.NewObserver(false).Range(calib.Percentile, 99); !errors.Is(err, calib.ErrOptions) {
		t.Errorf("percentile without histogram: %v, want ErrOptions", err)
	}
}

func TestWindows(t *testing.T) {
	toks := make([]int64, 100)
	for i := range toks {
		toks[i] = int64(i)
	}
	tests := []struct {
		n, length int
		starts    []int64
	}{
		{1, 10, []int64{0}},
		{2, 10, []int64{0, 90}},
		{4, 10, []int64{0, 30, 60, 90}},
		{3, 100, []int64{0, 0, 0}},
	}
	for _, tt := range tests {
		w, err := calib.Windows(toks, tt.n, tt.length)
		if err != nil {
			t.Fatal(err)
		}
		for i, win := range w {
			if len(win) != tt.length || win[0] != tt.starts[i] {
				t.Errorf("n=%d length=%d: window %d starts at %d with %d tokens, want %d with %d",
					tt.n, tt.length, i, win[0], len(win), tt.starts[i], tt.length)
			}
		}
	}
	if _, err := calib.Windows(toks, 1, 101); !errors.Is(err, calib.ErrOptions) {
		t.Errorf("window longer than the text: %v, want ErrOptions", err)
	}
}
