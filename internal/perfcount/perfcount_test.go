package perfcount

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Where the machine counts instructions, more work counts more; where it
// does not, the error says so and the configuration line says "not
// supported", never a count.
func TestCounter(t *testing.T) {
	c, err := Open()
	if err != nil {
		require.ErrorIs(t, err, ErrUnsupported)
		line := ConfigLine(err)
		assert.True(t, strings.HasPrefix(line, "instructions: not supported ("), line)
		t.Skipf("no instruction counter here: %v", err)
	}
	defer c.Close()
	work := func(n int) uint64 {
		before, err := c.Read()
		require.NoError(t, err)
		x := uint64(1)
		for i := range n {
			x = x*6364136223846793005 + uint64(i)
		}
		sink = x
		after, err := c.Read()
		require.NoError(t, err)
		return after - before
	}
	small, large := work(1e5), work(1e6)
	assert.Greater(t, small, uint64(1e5))
	assert.Greater(t, large, 5*small)
	assert.Equal(t, "instructions: instructions:u (perf_event_open, per thread)", ConfigLine(nil))
}

var sink uint64

func TestConfigLine(t *testing.T) {
	assert.Equal(t, "instructions: not supported (instructions:u not supported: perf_event_open: no such file or directory)",
		ConfigLine(errors.New("instructions:u not supported: perf_event_open: no such file or directory")))
}
