package harness

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/perf/benchfmt"

	"github.com/inferbench/inferbench/backends/suite"
	"github.com/inferbench/inferbench/fixtures/corpus"
	"github.com/inferbench/inferbench/fixtures/model"
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

// A second fixture's lines replace the first's: keys only the first had
// are cleared, so benchfmt never attributes them to the second model.
func TestPrintConfigClearsThePreviousModel(t *testing.T) {
	a := &suite.Fixture{Model: &model.Model{Identity: model.Identity{Name: "a", Extra: map[string]string{"only-a": "1"}}}, Corpus: &corpus.Corpus{Name: "c"}}
	b := &suite.Fixture{Model: &model.Model{Identity: model.Identity{Name: "b"}}, Corpus: &corpus.Corpus{Name: "c"}}
	var buf bytes.Buffer
	PrintConfig(&buf, a)
	PrintConfig(&buf, a)
	fmt.Fprintln(&buf, "BenchmarkA 1 1 ns/op")
	PrintConfig(&buf, b)
	fmt.Fprintln(&buf, "BenchmarkB 1 1 ns/op")
	if n := strings.Count(buf.String(), "model: a\n"); n != 1 {
		t.Errorf("a's lines printed %d times, want once", n)
	}
	r := benchfmt.NewReader(&buf, "test")
	got := map[string]string{}
	for r.Scan() {
		if res, ok := r.Result().(*benchfmt.Result); ok {
			got[string(res.Name)] = res.GetConfig("model") + "|" + res.GetConfig("model-only-a")
		}
	}
	if got["A"] != "a|1" || got["B"] != "b|" {
		t.Errorf("configs seen by benchfmt: %v", got)
	}
}
