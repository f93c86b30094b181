package main

import (
	"slices"
	"testing"
)

func TestSplitTail(t *testing.T) {
	ids := []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	head, tail := SplitTail(ids, 0.2)
	if !slices.Equal(head, ids[:8]) || !slices.Equal(tail, ids[8:]) {
		t.Errorf("SplitTail(0.2) = %v | %v", head, tail)
	}
	head, tail = SplitTail(ids[:3], 0.05)
	if len(head) != 2 || len(tail) != 1 {
		t.Errorf("SplitTail keeps no tail for short input: %v | %v", head, tail)
	}
}

func TestEncodeUint16(t *testing.T) {
	b, err := EncodeUint16([]int64{1, 50256, 0x0102})
	if err != nil {
		t.Fatal(err)
	}
	want := []byte{1, 0, 0x50, 0xc4, 2, 1}
	if !slices.Equal(b, want) {
		t.Errorf("EncodeUint16 = %x, want %x", b, want)
	}
	if _, err := EncodeUint16([]int64{70000}); err == nil {
		t.Error("EncodeUint16 accepted 70000")
	}
}
