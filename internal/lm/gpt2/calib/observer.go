package calib

import (
	"fmt"
	"math"

	"github.com/inferbench/inferbench/internal/lm/gpt2/graph"
)

// Bins is the number of histogram bins an Observer keeps for percentile
// ranges. The bins cover [−h, h) where h is the smallest power of two above
// every |x| seen, so a bin is at most |x|max/16384 wide.
const Bins = 1 << 16

// Observer accumulates the values seen at one quantization point: their
// count, minimum and maximum and, for percentile ranges, a histogram. The
// zero value is not usable; call NewObserver.
type Observer struct {
	n        int64
	min, max float32
	bins     []uint64 // nil: min/max only
	scratch  []uint64
	half     float64 // bins cover [−half, half)
}

// NewObserver returns an observer that also keeps a histogram if hist is
// set (needed by Range with Percentile).
func NewObserver(hist bool) *Observer {
	o := &Observer{min: float32(math.Inf(1)), max: float32(math.Inf(-1))}
	if hist {
		o.bins = make([]uint64, Bins)
		o.scratch = make([]uint64, Bins)
	}
	return o
}

// Observe adds values. A NaN or infinite value is an error: the fp32 model
// it came from is broken, and no range can hold it.
func (o *Observer) Observe(values []float32) error {
	amax := 0.0
	for i, v := range values {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return fmt.Errorf("calib: value %d of %d is %v", i, len(values), v)
		}
		o.min = min(o.min, v)
		o.max = max(o.max, v)
		amax = math.Max(amax, math.Abs(float64(v)))
	}
	o.n += int64(len(values))
	if o.bins == nil || len(values) == 0 {
		return nil
	}
	o.grow(amax)
	width := 2 * o.half / Bins
	for _, v := range values {
		i := int((float64(v) + o.half) / width)
		o.bins[min(max(i, 0), Bins-1)]++
	}
	return nil
}

// grow widens the histogram until amax < half, merging pairs of bins each
// time the range doubles: the old bins then occupy the middle half.
func (o *Observer) grow(amax float64) {
	if o.half == 0 {
		o.half = math.Ldexp(1, -100)
	}
	for amax >= o.half {
		clear(o.scratch)
		for k := range Bins / 2 {
			o.scratch[Bins/4+k] = o.bins[2*k] + o.bins[2*k+1]
		}
		o.bins, o.scratch = o.scratch, o.bins
		o.half *= 2
	}
}

// Count is the number of values observed.
func (o *Observer) Count() int64 { return o.n }

// Min and Max are the extreme values observed (+Inf and −Inf before any).
func (o *Observer) Min() float32 { return o.min }
func (o *Observer) Max() float32 { return o.max }

// BinWidth is the histogram's current bin width (0 without a histogram or
// before any value).
func (o *Observer) BinWidth() float64 {
	if o.bins == nil {
		return 0
	}
	return 2 * o.half / Bins
}

// Range returns the calibrated range for method: [Min, Max] for MinMax;
// for Percentile with p (in (50, 100]), the narrowest histogram-bin-aligned
// [lo, hi] that leaves at most a fraction 1 − p/100 of the values below lo
// and at most as many above hi, clamped to [Min, Max]. Bin alignment makes
// the range err on the wide side by less than BinWidth at each end.
func (o *Observer) Range(m Method, p float64) (graph.Range, error) {
	if o.n == 0 {
		return graph.Range{}, fmt.Errorf("calib: %w: no values observed", ErrOptions)
	}
	switch m {
	case MinMax:
		return graph.Range{Min: o.min, Max: o.max}, nil
	case Percentile:
	default:
		return graph.Range{}, fmt.Errorf("calib: %w: method %q", ErrOptions, m)
	}
	if o.bins == nil {
		return graph.Range{}, fmt.Errorf("calib: %w: observer keeps no histogram", ErrOptions)
	}
	if !(p > 50 && p <= 100) {
		return graph.Range{}, fmt.Errorf("calib: %w: percentile %v outside (50, 100]", ErrOptions, p)
	}
	tail := (1 - p/100) * float64(o.n) // values each end may drop
	width := 2 * o.half / Bins
	lo, hi := -1, -1
	var cum uint64
	for i, c := range o.bins {
		cum += c
		if lo < 0 && float64(cum) > tail {
			lo = i
		}
		if hi < 0 && float64(cum) >= float64(o.n)-tail {
			hi = i
			break
		}
	}
	r := graph.Range{
		Min: float32(math.Max(float64(o.min), -o.half+float64(lo)*width)),
		Max: float32(math.Min(float64(o.max), -o.half+float64(hi+1)*width)),
	}
	return r, nil
}
