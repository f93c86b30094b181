package ort_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/backends/ort"
)

func TestKVLayout(t *testing.T) {
	dec := &model.Decoder{Layers: 3, Heads: 4, HeadDim: 8}
	l := ort.NewKVLayout(dec, 2, 16)
	if got, want := l.RegionLen(), 2*4*16*8; got != want {
		t.Errorf("RegionLen = %d, want %d", got, want)
	}
	if got, want := l.BufferLen(), 6*l.RegionLen(); got != want {
		t.Errorf("BufferLen = %d, want %d", got, want)
	}
	if got, want := int64(4*2*l.BufferLen()), dec.CacheBytes(2, 16)*2; got != want {
		t.Errorf("two float32 buffers hold %d bytes, want 2·CacheBytes = %d", got, want)
	}
	for j := range l.Tensors() {
		// every length's tensor must fit in its region and not reach the next
		end := l.Offset(j) + int(product(l.Shape(l.MaxLen)))
		if end != l.Offset(j+1) {
			t.Errorf("tensor %d at MaxLen ends at %d, next region starts at %d", j, end, l.Offset(j+1))
		}
	}
	if got := l.Shape(5); !slices.Equal(got, []int64{2, 4, 5, 8}) {
		t.Errorf("Shape(5) = %v", got)
	}
	if got := l.Shape(0); product(got) != 0 {
		t.Errorf("Shape(0) = %v has elements", got)
	}
}

func product(s []int64) int64 {
	p := int64(1)
	for _, d := range s {
		p *= d
	}
	return p
}

// TestKVLayoutPlan walks a generation (prefill then steps) and checks
// that every call reads the buffer the previous one wrote, at the length
// it wrote, and that calls past MaxLen are refused.
func TestKVLayoutPlan(t *testing.T) {
	l := ort.KVLayout{Batch: 1, Heads: 1, HeadDim: 1, Layers: 1, MaxLen: 8}
	cur, past := 0, 0
	for i, seq := range []int{5, 1, 1, 1} {
		c, err := l.Plan(cur, past, seq)
		if err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
		if c.Past != cur || c.Present != 1-cur || c.PastLen != past || c.PresentLen != past+seq {
			t.Fatalf("call %d (buffer %d, past %d, seq %d): %+v", i, cur, past, seq, c)
		}
		cur, past = c.Present, c.PresentLen
	}
	if past != 8 || cur != 0 {
		t.Fatalf("after 4 calls: buffer %d, length %d; want 0, 8", cur, past)
	}
	for _, tc := range []struct {
		cur, past, seq int
		want           error
	}{
		{0, 8, 1, model.ErrTooLong},
		{1, 3, 6, model.ErrTooLong},
		{2, 0, 1, model.ErrBadShape},
		{0, -1, 1, model.ErrBadShape},
		{0, 0, 0, model.ErrBadShape},
	} {
		t.Run(fmt.Sprint(tc.cur, tc.past, tc.seq), func(t *testing.T) {
			if _, err := l.Plan(tc.cur, tc.past, tc.seq); !errors.Is(err, tc.want) {
				t.Errorf("Plan(%d, %d, %d) = %v, want %v", tc.cur, tc.past, tc.seq, err, tc.want)
			}
		})
	}
}
