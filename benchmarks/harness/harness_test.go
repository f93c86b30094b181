package harness

import (
	"bytes"
	"fmt"
	"testing"

	"golang.org/x/perf/benchfmt"
)

func TestTimerDoesNotAllocateInLoop(t *testing.T) {
	var tm Timer
	tm.Reset(1000)
	allocs := testing.AllocsPerRun(500, func() { tm.Start(); tm.Stop() })
	if allocs != 0 {
		t.Errorf("Start/Stop allocated %v times per iteration", allocs)
	}
	s := tm.Summarize()
	if s.N != 501 || s.P50 < 0 || s.P99 < s.P50 {
		t.Errorf("Summarize() = %+v", s)
	}
}

// The configuration we print must be read back by benchfmt as configuration
// of the results that follow.
func TestConfigReadByBenchfmt(t *testing.T) {
	var buf bytes.Buffer
	c := Config{{"model", "gpt2-tiny"}, {"Model Params", "3"}}
	c.Write(&buf)
	fmt.Fprintln(&buf, "BenchmarkX 10 100 ns/op")
	c.Clear(&buf)
	fmt.Fprintln(&buf, "BenchmarkY 10 100 ns/op")
	r := benchfmt.NewReader(&buf, "test")
	var cfgs []string
	for r.Scan() {
		if res, ok := r.Result().(*benchfmt.Result); ok {
			cfgs = append(cfgs, res.GetConfig("model")+"|"+res.GetConfig("model-params"))
		}
	}
	if fmt.Sprint(cfgs) != "[gpt2-tiny|3 |]" {
		t.Errorf("configs seen by benchfmt = %q", cfgs)
	}
}
