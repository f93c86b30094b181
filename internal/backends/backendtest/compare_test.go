package backendtest

import (
	"errors"
	"math"
	"testing"
)

func TestCompare(t *testing.T) {
	nan := float32(math.NaN())
	tests := []struct {
		name      string
		got, want []float32
		relL2     float64
		err       error
	}{
		{"equal", []float32{1, 2, 3}, []float32{1, 2, 3}, 0, nil},
		{"off by one element", []float32{3, 4}, []float32{3, 4.5}, 0.5 / math.Sqrt(9+20.25), nil},
		{"unwritten element", []float32{1, nan}, []float32{1, 2}, 0, ErrNotFinite},
		{"inf", []float32{float32(math.Inf(1))}, []float32{1}, 0, ErrNotFinite},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Compare(tt.got, tt.want)
			if !errors.Is(err, tt.err) {
				t.Fatalf("Compare err = %v, want %v", err, tt.err)
			}
			if err == nil && math.Abs(d.RelL2-tt.relL2) > 1e-7 {
				t.Errorf("RelL2 = %v, want %v", d.RelL2, tt.relL2)
			}
		})
	}
}

func TestPoisonIsCaught(t *testing.T) {
	buf := make([]float32, 4)
	Poison(buf)
	if _, err := Compare(buf, []float32{1, 1, 1, 1}); !errors.Is(err, ErrNotFinite) {
		t.Fatalf("poisoned buffer passed Compare: %v", err)
	}
}
