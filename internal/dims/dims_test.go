package dims

import (
	"errors"
	"math"
	"testing"
)

func TestCount(t *testing.T) {
	tests := []struct {
		dims []int64
		want int64
		err  error
	}{
		{nil, 1, nil},
		{[]int64{3, 4}, 12, nil},
		{[]int64{3, 0, 5}, 0, nil},
		{[]int64{2, -1}, 0, ErrNegative},
		{[]int64{math.MaxInt64, 2}, 0, ErrOverflow},
		{[]int64{1 << 32, 1 << 31}, 0, ErrOverflow},
		{[]int64{1 << 31, 1 << 31}, 1 << 62, nil},
	}
	for _, tt := range tests {
		got, err := Count(tt.dims)
		if !errors.Is(err, tt.err) || got != tt.want {
			t.Errorf("Count(%v) = %d, %v; want %d, %v", tt.dims, got, err, tt.want, tt.err)
		}
	}
	if n, err := Count([]int{4, 4, 4}); n != 64 || err != nil {
		t.Errorf("Count([]int{4,4,4}) = %d, %v", n, err)
	}
}
