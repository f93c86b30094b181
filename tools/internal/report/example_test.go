package report_test

import (
	"fmt"

	"github.com/inferbench/inferbench/tools/internal/report"
)

// Rank the backends of a fixed benchmark output against ort-cpu.
func ExampleAnalyze() {
	d, err := report.Load([]string{"testdata/bench.txt"}, nil)
	if err != nil {
		panic(err)
	}
	a, err := report.Analyze(d, report.DefaultOptions)
	if err != nil {
		panic(err)
	}
	fmt.Println("baseline:", a.Baseline, "invalid:", len(a.Invalid))
	for _, s := range a.Scenarios {
		for _, c := range a.Ranking(s) {
			fmt.Printf("%s: %s ×%.2f (Holm p=%.2g, δ=%+.1f)\n", s, c.Backend, c.Speedup, c.PHolm, c.Delta)
		}
	}
	// Output:
	// baseline: ort-cpu invalid: 0
	// single_micro: ort-cpu-int8 ×1.45 (Holm p=0.00093, δ=+1.0)
	// batch_short: ort-cpu-int8 ×1.44 (Holm p=0.00093, δ=+1.0)
}
