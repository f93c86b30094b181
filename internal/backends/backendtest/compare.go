package backendtest

import (
	"errors"
	"fmt"
	"math"
)

// ErrNotFinite reports a NaN or Inf in a backend's output.
var ErrNotFinite = errors.New("non-finite logit")

// Poison fills buf with NaN so unwritten elements are detectable.
func Poison(buf []float32) {
	nan := float32(math.NaN())
	for i := range buf {
		buf[i] = nan
	}
}

// Diff summarises how far got is from want.
type Diff struct {
	RelL2   float64 // ‖got − want‖₂ / ‖want‖₂
	MaxAbs  float64 // max |got − want|
	ArgMax  int     // index of MaxAbs
	Entries int
}

func (d Diff) String() string {
	return fmt.Sprintf("relative L2 %.3g, max |Δ| %.3g at element %d of %d", d.RelL2, d.MaxAbs, d.ArgMax, d.Entries)
}

// Compare returns the difference of two equally long logit buffers, or an
// error naming the first non-finite element of either.
func Compare(got, want []float32) (Diff, error) {
	if len(got) != len(want) {
		return Diff{}, fmt.Errorf("backendtest: %d logits, want %d", len(got), len(want))
	}
	var num, den float64
	d := Diff{Entries: len(got)}
	for i := range got {
		g, w := float64(got[i]), float64(want[i])
		if math.IsNaN(g) || math.IsInf(g, 0) {
			return d, fmt.Errorf("backendtest: element %d is %v (unwritten or overflowed): %w", i, got[i], ErrNotFinite)
		}
		if math.IsNaN(w) || math.IsInf(w, 0) {
			return d, fmt.Errorf("backendtest: baseline element %d is %v: %w", i, want[i], ErrNotFinite)
		}
		e := g - w
		num += e * e
		den += w * w
		if a := math.Abs(e); a > d.MaxAbs {
			d.MaxAbs, d.ArgMax = a, i
		}
	}
	if den == 0 {
		d.RelL2 = math.Sqrt(num)
	} else {
		d.RelL2 = math.Sqrt(num / den)
	}
	return d, nil
}
