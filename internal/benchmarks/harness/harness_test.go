package harness

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/perf/benchfmt"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/backends/suite"
	"github.com/inferbench/inferbench/internal/lm/corpus"
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
// of the results that follow, each result with its own block's keys only,
// printing only what changes from one block to the next.
func TestBlocksReadByBenchfmt(t *testing.T) {
	var buf bytes.Buffer
	var bl Blocks
	blocks := []Config{
		{{"ort-threads", "2"}, {"Ort Mode", "seq"}},
		{{"ort-threads", "1"}, {"Ort Mode", "seq"}, {"degraded", "casts"}},
		{{"reference-threads", "2"}},
		nil,
	}
	for i, c := range blocks {
		bl.Start(&buf, c)
		fmt.Fprintf(&buf, "BenchmarkX/block=%d 10 100 ns/op\n", i)
	}
	// Printed: block 0 both keys; block 1 the changed thread count and
	// degraded; block 2 three resets and its key; block 3 one reset.
	if lines, resets := strings.Count(buf.String(), "\n")-len(blocks), strings.Count(buf.String(), ":\n"); lines != 9 || resets != 4 {
		t.Errorf("%d configuration lines of which %d resets, want 9 and 4:\n%s", lines, resets, buf.String())
	}
	r := benchfmt.NewReader(&buf, "test")
	var got []string
	for r.Scan() {
		if res, ok := r.Result().(*benchfmt.Result); ok {
			var kv []string
			for _, c := range res.Config {
				kv = append(kv, c.Key+"="+string(c.Value))
			}
			got = append(got, strings.Join(kv, ","))
		}
	}
	want := []string{"ort-threads=2,ort-mode=seq", "ort-threads=1,ort-mode=seq,degraded=casts", "reference-threads=2", ""}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("configs seen by benchfmt:\n%q\nwant\n%q", got, want)
	}
}

// A second fixture's lines replace the first's: keys only the first had
// are cleared, so benchfmt never attributes them to the second model.
func TestPrintConfigClearsThePreviousModel(t *testing.T) {
	a := &suite.Fixture{Model: &model.Model{Identity: model.Identity{Name: "a", Extra: map[string]string{"only-a": "1"}}}, Corpus: &corpus.Corpus{Name: "c"}}
	b := &suite.Fixture{Model: &model.Model{Identity: model.Identity{Name: "b"}}, Corpus: &corpus.Corpus{Name: "c"}}
	var buf bytes.Buffer
	PrintConfig(&buf, Plan{Fixture: a})
	PrintConfig(&buf, Plan{Fixture: a})
	fmt.Fprintln(&buf, "BenchmarkA 1 1 ns/op")
	PrintConfig(&buf, Plan{Fixture: b})
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

// TestBackendConfigHeader: every opened backend's session options are
// printed once, before any result, under keys named by the backend, so
// every result (BenchmarkOverhead's and BenchmarkSessionCreate's included)
// carries them and no line resets a key.
func TestBackendConfigHeader(t *testing.T) {
	s := suite.Settings{Backends: "reference"}
	f, err := s.Load()
	if err != nil {
		t.Fatal(err)
	}
	bs, err := s.SelectBackends()
	if err != nil {
		t.Fatal(err)
	}
	c := BackendConfig(Plan{Fixture: f, Backends: bs, Options: s.Options()})
	var buf bytes.Buffer
	c.Write(&buf)
	fmt.Fprintln(&buf, "BenchmarkSessionCreate/backend=reference 1 100 ns/op")
	if strings.Contains(buf.String(), ":\n") {
		t.Errorf("empty (reset) lines in\n%s", buf.String())
	}
	seen := map[string]bool{}
	for _, kv := range c {
		name, _, ok := strings.Cut(kv[0], ".")
		if _, err := backends.Lookup(name); !ok || err != nil {
			t.Errorf("key %q is not named by a backend", kv[0])
		}
		seen[name] = true
	}
	if !seen["reference"] {
		t.Fatalf("no reference options in %v", c)
	}
	r := benchfmt.NewReader(&buf, "header")
	for r.Scan() {
		if res, ok := r.Result().(*benchfmt.Result); ok && res.GetConfig("reference.reference-threads") == "" {
			t.Errorf("result %s carries no reference options", res.Name)
		}
	}
}
