package vocab

import "fmt"

// RangeError is an id outside the vocabulary.
type RangeError struct {
	Position int
	Token    int64
	Size     int
}

func (e *RangeError) Error() string {
	return fmt.Sprintf("token %d at position %d outside vocabulary [0, %d)", e.Token, e.Position, e.Size)
}

// Check returns a *RangeError for the first id of ids outside [0, size),
// or nil.
func Check(ids []int64, size int) error {
	for i, t := range ids {
		if t < 0 || t >= int64(size) {
			return &RangeError{Position: i, Token: t, Size: size}
		}
	}
	return nil
}
