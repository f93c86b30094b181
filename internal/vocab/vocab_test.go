package vocab

import (
	"errors"
	"testing"
)

func TestCheck(t *testing.T) {
	tests := []struct {
		ids  []int64
		size int
		pos  int // -1: in range
	}{
		{[]int64{0, 1, 6}, 7, -1},
		{nil, 7, -1},
		{[]int64{0, 7, 8}, 7, 1},
		{[]int64{3, -1}, 7, 1},
		{[]int64{0}, 0, 0},
	}
	for _, tt := range tests {
		err := Check(tt.ids, tt.size)
		var re *RangeError
		switch {
		case tt.pos < 0 && err != nil:
			t.Errorf("Check(%v, %d) = %v", tt.ids, tt.size, err)
		case tt.pos >= 0 && (!errors.As(err, &re) || re.Position != tt.pos || re.Token != tt.ids[tt.pos] || re.Size != tt.size):
			t.Errorf("Check(%v, %d) = %v, want position %d", tt.ids, tt.size, err, tt.pos)
		}
	}
	if got := Check([]int64{1, 9}, 5).Error(); got != "token 9 at position 1 outside vocabulary [0, 5)" {
		t.Errorf("message %q", got)
	}
}
