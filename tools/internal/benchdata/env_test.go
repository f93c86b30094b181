package benchdata_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inferbench/inferbench/tools/internal/benchdata"
)

// Environment metrics form no series; a series counts the values whose
// result they mark as disturbed, per side, with the reasons; records carry
// the reasons too.
func TestDisturbed(t *testing.T) {
	old := `BenchmarkA 1 10 ns/op 1980 gpu-sm-MHz 0 gpu-power-cap-% 0.5 cpu-steal-%
BenchmarkA 1 11 ns/op 1410 gpu-sm-MHz 25 gpu-power-cap-% 0.5 cpu-steal-% 1 env-disturbed
BenchmarkA 1 12 ns/op 9 cpu-steal-%
`
	c := read(t, benchdata.Options{}, old, "BenchmarkA 1 10 ns/op 0 cpu-steal-%\n")
	series := c.Series()
	require.Len(t, series, 1, "only sec/op is a series")
	s := series[0]
	assert.Equal(t, "sec/op", s.Key.Unit)
	assert.Equal(t, [2]int{2, 0}, s.Disturbed)
	assert.Equal(t, []string{"gpu power cap in 25% of samples", "cpu steal 9.0% > 5%"}, s.DisturbedWhy[benchdata.Old])
	assert.Empty(t, s.DisturbedWhy[benchdata.New])

	p := filepath.Join(t.TempDir(), "a.txt")
	require.NoError(t, os.WriteFile(p, []byte(old), 0o644))
	rs, err := benchdata.ReadRecords(p)
	require.NoError(t, err)
	require.Len(t, rs.Records, 3)
	assert.Nil(t, rs.Records[0].Disturbed)
	assert.Equal(t, []string{"gpu power cap in 25% of samples"}, rs.Records[1].Disturbed)
}

func TestClockPolicyIsMachine(t *testing.T) {
	for _, k := range []string{"gpu0-clock-policy", "gpu3-clock-policy", "cpu-governor", "cpu-nominal-mhz"} {
		assert.True(t, benchdata.IsMachineKey(k), k)
	}
	assert.False(t, benchdata.IsMachineKey("cpu-steal-%"))
}
