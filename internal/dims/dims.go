package dims

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
)

// Errors of Count. Callers wrap them with their own format's sentinel.
var (
	ErrNegative = errors.New("negative dimension")
	ErrOverflow = errors.New("element count overflows int64")
)

// Count is the product of dims (1 for a scalar).
func Count[T ~int | ~int64](dims []T) (int64, error) {
	n := uint64(1)
	for _, d := range dims {
		if d < 0 {
			return 0, fmt.Errorf("dims %v: %w", dims, ErrNegative)
		}
		hi, lo := bits.Mul64(n, uint64(d))
		if hi != 0 || lo > math.MaxInt64 {
			return 0, fmt.Errorf("dims %v: %w", dims, ErrOverflow)
		}
		n = lo
	}
	return int64(n), nil
}
