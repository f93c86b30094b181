package quiet

import (
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseCPUs(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want []int
	}{{"1", []int{1}}, {"0-3", []int{0, 1, 2, 3}}, {"0,2-3", []int{0, 2, 3}}} {
		got, err := ParseCPUs(tt.in)
		require.NoError(t, err, tt.in)
		assert.Equal(t, tt.want, got, tt.in)
	}
	for _, bad := range []string{"", "a", "3-1", "-1", "1,", "0-99999"} {
		_, err := ParseCPUs(bad)
		assert.ErrorIs(t, err, ErrCPUList, bad)
	}
}

func TestThreads(t *testing.T) {
	env, line := Threads(2)
	assert.Equal(t, []string{"GOMAXPROCS=2", "INFERBENCH_THREADS=2"}, env)
	assert.Equal(t, "compare-threads: 2", line)
	env, line = Threads(0)
	assert.Nil(t, env)
	assert.Equal(t, "compare-threads: not pinned", line)
}

// A child started on CPU 0 sees only CPU 0 in its allowed set.
func TestAffinityPinsChild(t *testing.T) {
	if runtime.GOOS != "linux" {
		start, line, err := Affinity("0")
		require.NoError(t, err)
		assert.Nil(t, start)
		assert.Contains(t, line, "not applied")
		return
	}
	start, line, err := Affinity("0")
	require.NoError(t, err)
	if start == nil {
		t.Skipf("affinity unavailable here: %s", line)
	}
	assert.Equal(t, "compare-affinity: 0 (sched_setaffinity)", line)
	cmd := exec.Command("grep", "Cpus_allowed_list", "/proc/self/status")
	var out strings.Builder
	cmd.Stdout = &out
	require.NoError(t, start(cmd))
	require.NoError(t, cmd.Wait())
	assert.Equal(t, "Cpus_allowed_list:\t0", strings.TrimSpace(out.String()))

	// This process keeps its own placement.
	self, err := os.ReadFile("/proc/self/status")
	require.NoError(t, err)
	assert.Contains(t, string(self), "Cpus_allowed_list")

	_, line, err = Affinity("4000")
	require.NoError(t, err)
	assert.Contains(t, line, "not applied (CPU 4000 is not in this process's allowed set")
}

// Any input parses to CPUs in range, in order within each part, or is
// refused with ErrCPUList; nothing panics.
func FuzzParseCPUs(f *testing.F) {
	for _, s := range []string{"0", "0-3", "1,3-4", "", "-", "4095", "0-4095", "9-1", "a,b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		cpus, err := ParseCPUs(s)
		if err != nil {
			assert.ErrorIs(t, err, ErrCPUList)
			return
		}
		assert.NotEmpty(t, cpus)
		for _, c := range cpus {
			assert.True(t, c >= 0 && c <= 4095, "%d", c)
		}
	})
}
