package envstate_test

import (
	"fmt"

	"github.com/inferbench/inferbench/internal/envstate"
)

// A result's environment metrics, judged: the GPU held its clocks, but
// another process shared it and the hypervisor stole 7% of the CPU.
func ExampleJudgeValues() {
	units := []string{envstate.SMMHz, envstate.PowerCapPct, envstate.OtherProcs, envstate.OtherMem, envstate.StealPct}
	values := []float64{1980, 0, 1, 3 << 30, 7}
	for _, why := range envstate.JudgeValues(units, values, envstate.Default) {
		fmt.Println(why)
	}
	// Output:
	// 1 other process(es) on the gpu holding 3072 MiB
	// cpu steal 7.0% > 5%
}
