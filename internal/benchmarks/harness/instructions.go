package harness

import (
	"testing"

	"github.com/inferbench/inferbench/internal/perfcount"
)

// instructions counts a timed loop's user-space instructions where the
// machine gives a counter (package perfcount); nil otherwise, and the
// configuration line "instructions: not supported (…)" says why.
type instructions struct {
	c     *perfcount.Counter
	start uint64
}

func startInstructions() *instructions {
	c, err := perfcount.Open()
	if err != nil {
		return nil
	}
	n, err := c.Read()
	if err != nil {
		c.Close()
		return nil
	}
	return &instructions{c: c, start: n}
}

// report adds instructions/op for the b.N iterations since the start.
func (i *instructions) report(b *testing.B) {
	if i == nil {
		return
	}
	defer i.c.Close()
	if n, err := i.c.Read(); err == nil && b.N > 0 {
		b.ReportMetric(float64(n-i.start)/float64(b.N), "instructions/op")
	}
}
