package quantile

import (
	"testing"
	"time"
)

func TestNearestRank(t *testing.T) {
	ten := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	hundred := make([]float64, 100)
	for i := range hundred {
		hundred[i] = float64(i + 1)
	}
	tests := []struct {
		sorted  []float64
		q, want float64
	}{
		{ten, 0, 1}, {ten, 0.01, 1}, {ten, 0.1, 1}, {ten, 0.11, 2}, {ten, 0.5, 5}, {ten, 0.7, 7}, {ten, 0.99, 10}, {ten, 1, 10},
		{[]float64{3}, 0.99, 3},
		{hundred, 0.07, 7}, // 0.07·100 rounds to 7.000000000000001
		{hundred, 0.5, 50}, {hundred, 0.95, 95}, {hundred, 0.99, 99}, {hundred, 1, 100},
		{[]float64{1, 2, 3}, 0.5, 2},
	}
	for _, tt := range tests {
		if got, ok := NearestRank(tt.sorted, tt.q); !ok || got != tt.want {
			t.Errorf("NearestRank(n=%d, %v) = %v, %v; want %v", len(tt.sorted), tt.q, got, ok, tt.want)
		}
	}
	if v, ok := NearestRank([]float64(nil), 0.5); ok || v != 0 {
		t.Errorf("NearestRank(nothing) = %v, %v; want 0, false", v, ok)
	}
}

func TestNearestRankDurations(t *testing.T) {
	var s []time.Duration
	for i := 1; i <= 100; i++ {
		s = append(s, time.Duration(i)*time.Millisecond)
	}
	for _, tt := range []struct {
		q    float64
		want time.Duration
	}{{0.5, 50 * time.Millisecond}, {0.95, 95 * time.Millisecond}, {0.99, 99 * time.Millisecond}} {
		if got, _ := NearestRank(s, tt.q); got != tt.want {
			t.Errorf("NearestRank(1..100ms, %v) = %v, want %v", tt.q, got, tt.want)
		}
	}
}
