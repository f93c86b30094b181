package harness

import (
	"flag"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inferbench/inferbench/internal/envstate"
)

// A throttle event played by a scripted GPU in the middle of a timed loop
// reaches the result as metrics and the env-disturbed mark; a quiet GPU
// leaves the result unmarked.
func TestReportEnvMarks(t *testing.T) {
	quiet := envstate.GPUSample{SMMHz: 1980, MemMHz: 3201, TempC: 45}
	slow := quiet
	slow.SMMHz, slow.Reasons = 1100, envstate.ReasonHwSlowdown
	defer func(f func() (envstate.GPUReader, string)) { openEnvGPU = f }(openEnvGPU)
	bt := flag.Lookup("test.benchtime").Value
	defer bt.Set(bt.String())
	require.NoError(t, bt.Set("1x"))
	for _, tt := range []struct {
		name    string
		samples []envstate.GPUSample
		marked  bool
	}{
		{"quiet", []envstate.GPUSample{quiet}, false},
		{"slowdown mid-loop", []envstate.GPUSample{quiet, slow, quiet}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var gpus []*envstate.Scripted
			openEnvGPU = func() (envstate.GPUReader, string) {
				g := &envstate.Scripted{Samples: tt.samples}
				gpus = append(gpus, g)
				return g, ""
			}
			res := testing.Benchmark(func(b *testing.B) {
				env := StartEnv()
				b.ResetTimer()
				for range b.N {
					time.Sleep(time.Microsecond)
				}
				time.Sleep(2 * envstate.Period) // let the sampler see the script through
				b.StopTimer()
				ReportEnv(b, env.Stop())
			})
			require.NotEmpty(t, gpus)
			_, closed := gpus[len(gpus)-1].Calls()
			assert.True(t, closed, "Stop closes the GPU reader")
			if tt.marked {
				assert.Less(t, res.Extra[envstate.SMMHz], 1980.0)
				assert.Equal(t, 1.0, res.Extra[envstate.DisturbedUnit])
				assert.Equal(t, 1100.0, res.Extra[envstate.SMMinMHz])
				assert.Greater(t, res.Extra[envstate.HWSlowPct], 0.0)
			} else {
				assert.NotContains(t, res.Extra, envstate.DisturbedUnit)
				assert.Equal(t, 1980.0, res.Extra[envstate.SMMHz])
				assert.Zero(t, res.Extra[envstate.HWSlowPct])
			}
			_, ok := res.Extra[envstate.StealPct]
			assert.True(t, ok, "cpu steal recorded from /proc/stat")
		})
	}
}
