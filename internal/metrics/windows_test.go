package metrics

import (
	"reflect"
	"testing"
)

func TestWindows(t *testing.T) {
	tests := []struct {
		name              string
		n, window, stride int
		want              []Window
	}{
		{"shorter than window", 5, 8, 4, []Window{{0, 5, 1}}},
		{"exactly one window", 8, 8, 4, []Window{{0, 8, 1}}},
		{"one more than window", 9, 8, 4, []Window{{0, 8, 1}, {4, 9, 8}}},
		{"hf example", 20, 8, 4, []Window{{0, 8, 1}, {4, 12, 8}, {8, 16, 12}, {12, 20, 16}}},
		{"short tail", 22, 8, 4, []Window{{0, 8, 1}, {4, 12, 8}, {8, 16, 12}, {12, 20, 16}, {16, 22, 20}}},
		{"odd window", 10, 5, 2, []Window{{0, 5, 1}, {2, 7, 5}, {4, 9, 7}, {6, 10, 9}}},
		{"minimal", 2, 2, 1, []Window{{0, 2, 1}}},
		{"stride one", 4, 2, 1, []Window{{0, 2, 1}, {1, 3, 2}, {2, 4, 3}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Windows(tt.n, tt.window, tt.stride)
			must(t, err)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Windows(%d, %d, %d) = %v, want %v", tt.n, tt.window, tt.stride, got, tt.want)
			}
		})
	}
}

// TestWindowsScoreEachTokenOnce checks the invariants over many shapes:
// positions 1…n-1 scored exactly once (n-1 in all), every scored target has
// context in its window and a row inside it, all windows but the last full.
func TestWindowsScoreEachTokenOnce(t *testing.T) {
	for n := 2; n <= 70; n++ {
		for window := 2; window <= 17; window++ {
			for _, stride := range []int{1, Stride(window), window - 1} {
				ws, err := Windows(n, window, stride)
				must(t, err)
				seen := make([]int, n)
				total := 0
				for i, w := range ws {
					if w.Len() > window || (i < len(ws)-1 && w.Len() != window) {
						t.Fatalf("n=%d window=%d stride=%d: window %d is %+v", n, window, stride, i, w)
					}
					if w.Score <= w.Begin {
						t.Fatalf("n=%d window=%d stride=%d: target without context in %+v", n, window, stride, w)
					}
					for p := w.Score; p < w.End; p++ {
						seen[p]++
						if r := w.Row(p); r < 0 || r >= w.Len() {
							t.Fatalf("window %+v: row %d for target %d", w, r, p)
						}
					}
					total += w.Scored()
				}
				if total != n-1 || seen[0] != 0 {
					t.Fatalf("n=%d window=%d stride=%d: %d scored, position 0 scored %d times", n, window, stride, total, seen[0])
				}
				for p := 1; p < n; p++ {
					if seen[p] != 1 {
						t.Fatalf("n=%d window=%d stride=%d: position %d scored %d times", n, window, stride, p, seen[p])
					}
				}
			}
		}
	}
}

func TestWindowsErrors(t *testing.T) {
	tests := []struct {
		name              string
		n, window, stride int
		want              error
	}{
		{"empty", 0, 8, 4, ErrTooShort},
		{"one token", 1, 8, 4, ErrTooShort},
		{"window one", 10, 1, 1, ErrWindow},
		{"stride zero", 10, 8, 0, ErrWindow},
		{"stride equals window", 10, 8, 8, ErrWindow},
	}
	for _, tt := range tests {
		_, err := Windows(tt.n, tt.window, tt.stride)
		is(t, err, tt.want, "%s", tt.name)
	}
}

func TestStride(t *testing.T) {
	for _, tt := range []struct{ window, want int }{{2, 1}, {3, 1}, {8, 4}, {1024, 512}, {1025, 512}} {
		if got := Stride(tt.window); got != tt.want {
			t.Errorf("Stride(%d) = %d, want %d", tt.window, got, tt.want)
		}
	}
}

func TestGroups(t *testing.T) {
	ws, err := Windows(22, 8, 4) // four full windows and a short one
	must(t, err)
	tests := []struct {
		batch int
		want  []int // group sizes
	}{
		{1, []int{1, 1, 1, 1, 1}},
		{2, []int{2, 2, 1}},
		{3, []int{3, 1, 1}},
		{4, []int{4, 1}},
		{16, []int{4, 1}},
		{0, []int{1, 1, 1, 1, 1}},
	}
	for _, tt := range tests {
		var sizes []int
		var flat []Window
		for _, g := range Groups(ws, tt.batch) {
			sizes = append(sizes, len(g))
			for _, w := range g {
				if w.Len() != g[0].Len() {
					t.Errorf("batch %d: group %v mixes lengths", tt.batch, g)
				}
			}
			flat = append(flat, g...)
		}
		if !reflect.DeepEqual(sizes, tt.want) || !reflect.DeepEqual(flat, ws) {
			t.Errorf("batch %d: group sizes %v (want %v), windows %v (want %v)", tt.batch, sizes, tt.want, flat, ws)
		}
	}
}
