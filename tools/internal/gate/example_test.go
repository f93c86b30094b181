package gate_test

import (
	"fmt"
	"log"
	"strings"

	"github.com/inferbench/inferbench/tools/internal/benchdata"
	"github.com/inferbench/inferbench/tools/internal/gate"
)

// Read two benchmark outputs of six processes ("runs") each, as
// tools/compare stamps them, evaluate them, and inspect the verdicts:
// with at least MinRuns runs per side every row is tested on the runs'
// medians.
func Example() {
	old := `Unit tok/s better=higher
run: 1
BenchmarkPrefill/backend=cpu-8 100 1000000 ns/op 8000 tok/s
run: 2
BenchmarkPrefill/backend=cpu-8 100 1010000 ns/op 7920 tok/s
run: 3
BenchmarkPrefill/backend=cpu-8 100  990000 ns/op 8080 tok/s
run: 4
BenchmarkPrefill/backend=cpu-8 100 1005000 ns/op 7960 tok/s
run: 5
BenchmarkPrefill/backend=cpu-8 100  995000 ns/op 8040 tok/s
run: 6
BenchmarkPrefill/backend=cpu-8 100 1002000 ns/op 7984 tok/s
`
	new := `Unit tok/s better=higher
run: 1
BenchmarkPrefill/backend=cpu-8 100 1200000 ns/op 6667 tok/s
run: 2
BenchmarkPrefill/backend=cpu-8 100 1210000 ns/op 6612 tok/s
run: 3
BenchmarkPrefill/backend=cpu-8 100 1190000 ns/op 6723 tok/s
run: 4
BenchmarkPrefill/backend=cpu-8 100 1205000 ns/op 6639 tok/s
run: 5
BenchmarkPrefill/backend=cpu-8 100 1195000 ns/op 6695 tok/s
run: 6
BenchmarkPrefill/backend=cpu-8 100 1202000 ns/op 6656 tok/s
`
	c, err := benchdata.NewCollection(benchdata.Options{})
	if err != nil {
		log.Fatal(err)
	}
	if err := c.Read(benchdata.Old, strings.NewReader(old), "old.txt"); err != nil {
		log.Fatal(err)
	}
	if err := c.Read(benchdata.New, strings.NewReader(new), "new.txt"); err != nil {
		log.Fatal(err)
	}
	rep, err := gate.Evaluate(c, gate.DefaultOptions)
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range rep.Rows {
		fmt.Printf("%s %s: runs %d+%d on %s: %+.1f%% p=%.4f holm=%.4f MDE=%.1f%% verdict=%s fail=%v\n",
			r.Name, r.Unit, r.Old.Runs, r.New.Runs, r.Basis, r.Delta, r.P, r.PHolm, r.MDE, r.Verdict, r.Fail)
	}
	fmt.Println("exit status:", rep.Outcome())
	// Output:
	// Prefill/backend=cpu-8 sec/op: runs 6+6 on run medians: +20.0% p=0.0022 holm=0.0043 MDE=1.5% verdict=slower fail=true
	// Prefill/backend=cpu-8 tok/s: runs 6+6 on run medians: -16.6% p=0.0022 holm=0.0043 MDE=1.3% verdict=slower fail=true
	// exit status: 1
}
