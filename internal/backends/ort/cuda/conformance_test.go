//go:build cuda

package cuda_test

import (
	"testing"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/backends/backendtest"
	"github.com/inferbench/inferbench/internal/backends/ort/cuda"
	"github.com/inferbench/inferbench/internal/backends/reference"
	"github.com/inferbench/inferbench/internal/backends/suite"
	"github.com/inferbench/inferbench/internal/lm/workload"
)

// Tolerances against the float64 reference: fp32 CUDA kernels (TF32 off)
// sum in another order than the CPU's; fp16 rounds weights and
// activations to 11 significant bits.
const (
	MaxRelL2     = 1e-4
	MaxRelL2FP16 = 2e-2
)

// TestMatchesReference checks every CUDA backend's logits against the
// pure-Go float64 reference on the default model, for every scenario;
// the graph backend runs each scenario's shape through a captured graph
// after the first run (see TestGraphReplay).
func TestMatchesReference(t *testing.T) {
	f := suite.Flags.Require(t)
	base, err := backends.Lookup(reference.Name)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range cuda.All() {
		t.Run("backend="+b.Name(), func(t *testing.T) {
			tol := MaxRelL2
			switch b.Precision() {
			case "fp16":
				tol = MaxRelL2FP16
			case "int8":
				t.Skip("int8 is gated by accuracy's KL bounds, not a logits tolerance")
			}
			backendtest.Run(t, backendtest.Case{
				Candidate: b, Baseline: base, Model: f.Model, Tokens: f.Tokens,
				Options: suite.Flags.Options(), Scenarios: workload.All(), MaxRelL2: tol,
			})
		})
	}
}

// TestGraphReplay runs two different inputs of each report shape through
// each graph backend (ort-cuda-graph, ort-cuda-fused-graph), alternating,
// several times: replayed graphs must read the new token ids (same device
// addresses, new contents) and agree with the same graph without CUDA
// graphs (ort-cuda, ort-cuda-fused) bit for bit or within fp32
// reordering.
func TestGraphReplay(t *testing.T) {
	for _, p := range graphPairs() {
		t.Run("backend="+p[0].Name(), func(t *testing.T) { graphReplay(t, p[0], p[1]) })
	}
}

func graphReplay(t *testing.T, gb, pb cuda.Backend) {
	f := suite.Flags.Require(t)
	m, toks := f.Model, f.Tokens
	graph := openGraph(t, gb, m, suite.Flags.Options())
	plain := backendtest.Open(t, pb, m, suite.Flags.Options())
	// Twice over all shapes: the second pass replays graphs captured
	// before other shapes' captures, which must not have reused their
	// memory.
	for pass := range 2 {
		for _, sc := range workload.Report {
			replay(t, graph, plain, m, toks, sc, pass)
		}
	}
}

func replay(t *testing.T, graph, plain backends.Session, m *model.Model, toks []int64, sc workload.Scenario, pass int) {
	t.Helper()
	a, err := workload.Inputs(toks, sc)
	if err != nil {
		t.Fatal(err)
	}
	b, err := workload.Inputs(toks[len(toks)/2:], sc)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int][]float32{}
	for i, in := range [][]int64{a, b} {
		want[i] = make([]float32, m.LogitsLen(sc.Batch, sc.Seq))
		if err := plain.Prefill(in, sc.Batch, sc.Seq, want[i]); err != nil {
			t.Fatal(err)
		}
	}
	got := make([]float32, m.LogitsLen(sc.Batch, sc.Seq))
	for run := range 6 {
		i := run % 2
		backendtest.Poison(got)
		if err := graph.Prefill([][]int64{a, b}[i], sc.Batch, sc.Seq, got); err != nil {
			t.Fatal(err)
		}
		d, err := backendtest.Compare(got, want[i])
		if err != nil {
			t.Fatal(err)
		}
		if d.RelL2 > 1e-5 {
			t.Errorf("%s pass %d run %d (input %d): graph vs plain %v", sc, pass, run, i, d)
		}
	}
}
