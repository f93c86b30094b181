package harness

import (
	"bytes"
	"fmt"
	"strings"
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

func TestSelect(t *testing.T) {
	got, err := Select("single_micro,batch_medium")
	if err != nil || len(got) != 2 || got[1].Batch != 4 || got[1].Seq != 19 {
		t.Fatalf("Select = %v, %v", got, err)
	}
	if all, _ := Select(""); len(all) != 9 {
		t.Errorf("Select(\"\") has %d scenarios, want 9", len(all))
	}
	if _, err := Select("single_huge"); err == nil || !strings.Contains(err.Error(), "single_huge") {
		t.Errorf("Select(unknown) = %v", err)
	}
}

func TestInputsAreDistinctCorpusRows(t *testing.T) {
	corpus := make([]int64, 100)
	for i := range corpus {
		corpus[i] = int64(i)
	}
	in, err := Inputs(corpus, Scenario{"x", 4, 11})
	if err != nil {
		t.Fatal(err)
	}
	if len(in) != 44 || in[0] == in[11] || in[11] != corpus[in[11]] {
		t.Errorf("Inputs = %v", in)
	}
	if _, err := Inputs(corpus[:5], Scenario{"x", 1, 8}); err == nil {
		t.Error("Inputs accepted a corpus shorter than a row")
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
