package quantile_test

import (
	"fmt"
	"slices"
	"time"

	"github.com/inferbench/inferbench/internal/quantile"
)

func ExampleNearestRank() {
	lat := []time.Duration{9 * time.Millisecond, 2 * time.Millisecond, 3 * time.Millisecond, 4 * time.Millisecond}
	slices.Sort(lat)
	p50, _ := quantile.NearestRank(lat, 0.50)
	p99, _ := quantile.NearestRank(lat, 0.99)
	fmt.Println(p50, p99)
	// Output: 3ms 9ms
}
