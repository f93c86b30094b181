//go:build cuda

package cuda_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/backends/backendtest"
	"github.com/inferbench/inferbench/internal/backends/ort/cuda"
	"github.com/inferbench/inferbench/internal/backends/ort/orttest"
	"github.com/inferbench/inferbench/internal/backends/reference"
	"github.com/inferbench/inferbench/internal/backends/suite"
	"github.com/inferbench/inferbench/internal/lm/gpt2"
	"github.com/inferbench/inferbench/internal/lm/workload"
)

// graphCase is one input of one shape with its expected logits.
type graphCase struct {
	sc          workload.Scenario
	tokens      []int64
	plain, ref  []float32 // ort-cuda's and the reference's logits
	description string
}

// TestGraphPaths calls a graph backend the way the accuracy pass and the
// benchmarks do, each call from a fresh goroutine: several shapes, three
// different inputs per shape, interleaved so that every call follows a
// call of another shape or input, two output buffers per shape used in
// turn, host logits (Prefill) and device logits (PrefillDevice, then
// CopyLogits) alternately, three rounds (the graphs are captured in the
// first). Every result must match the same graph's logits without CUDA
// graphs for the same input (relative L2 ≤ 1e-5) and the float64
// reference's (MaxRelL2), and the rows from several offsets must match
// that backend's PrefillRows, which the
// graph session itself refuses (backends.ErrUnavailable) so that the
// accuracy pass prefills whole windows. A graph replaying another call's
// inputs or writing into another call's buffer cannot pass: the inputs'
// logits differ from one another (checked). Both graph backends run it:
// ort-cuda-graph against ort-cuda and ort-cuda-fused-graph against
// ort-cuda-fused (graphPairs); a graph built here (not a foreign file)
// refused capture fails it (openGraph).
func TestGraphPaths(t *testing.T) {
	for _, p := range graphPairs() {
		t.Run("backend="+p[0].Name(), func(t *testing.T) { graphPaths(t, p[0], p[1]) })
	}
}

func graphPaths(t *testing.T, gb, pb cuda.Backend) {
	f := suite.Flags.Require(t)
	m, toks := f.Model, f.Tokens
	opts := suite.Flags.Options()
	graph := openGraph(t, gb, m, opts)
	plain := backendtest.Open(t, pb, m, opts)
	refBackend, err := backends.Lookup(reference.Name)
	if err != nil {
		t.Fatal(err)
	}
	ref := backendtest.Open(t, refBackend, m, opts)
	shapes := []workload.Scenario{
		{Name: "a", Batch: 1, Seq: 8}, {Name: "b", Batch: 2, Seq: 13}, {Name: "c", Batch: 4, Seq: 19},
		{Name: "d", Batch: 1, Seq: 27}, {Name: "e", Batch: 3, Seq: 5},
	}
	var cases []*graphCase
	for _, off := range []int{0, 97, 311} {
		for _, sc := range shapes {
			if m.Positions > 0 && sc.Seq > m.Positions {
				continue
			}
			if len(toks) < off+sc.Tokens() {
				t.Fatalf("corpus of %d tokens, want %d", len(toks), off+sc.Tokens())
			}
			in, err := workload.Inputs(toks[off:], sc)
			if err != nil {
				t.Fatal(err)
			}
			c := &graphCase{sc: sc, tokens: in, description: fmt.Sprintf("%s input at %d", sc, off)}
			n := m.LogitsLen(sc.Batch, sc.Seq)
			c.plain, c.ref = make([]float32, n), make([]float32, n)
			if err := plain.Prefill(in, sc.Batch, sc.Seq, c.plain); err != nil {
				t.Fatal(err)
			}
			if err := ref.Prefill(in, sc.Batch, sc.Seq, c.ref); err != nil {
				t.Fatal(err)
			}
			cases = append(cases, c)
		}
	}
	// The inputs of one shape must give different logits, or a stale
	// replay would pass.
	for i, a := range cases {
		for _, b := range cases[i+1:] {
			if a.sc == b.sc {
				if d, err := backendtest.Compare(a.plain, b.plain); err != nil || d.RelL2 < 1e-3 {
					t.Fatalf("%s and %s: logits %v, %v: the test could not see a stale replay", a.description, b.description, d, err)
				}
			}
		}
	}
	bufs := map[workload.Scenario]*[2][]float32{}
	for _, sc := range shapes {
		n := m.LogitsLen(sc.Batch, sc.Seq)
		bufs[sc] = &[2][]float32{make([]float32, n), make([]float32, n)}
	}
	turn := map[workload.Scenario]int{}
	dl := graph.(backends.DeviceLogits)
	call := 0
	for round := range 3 {
		for _, c := range cases {
			call++
			out := bufs[c.sc][turn[c.sc]%2]
			turn[c.sc]++
			backendtest.Poison(out)
			device := call%2 == 0
			done := make(chan error)
			go func() { // a fresh goroutine per call, as the accuracy pass makes
				if !device {
					done <- graph.Prefill(c.tokens, c.sc.Batch, c.sc.Seq, out)
					return
				}
				if err := dl.PrefillDevice(c.tokens, c.sc.Batch, c.sc.Seq); err != nil {
					done <- err
					return
				}
				done <- dl.CopyLogits(out)
			}()
			if err := <-done; err != nil {
				t.Fatalf("round %d, %s: %v", round, c.description, err)
			}
			what := fmt.Sprintf("round %d, call %d (device logits %v), %s", round, call, device, c.description)
			checkLogits(t, what+": graph vs "+pb.Name(), out, c.plain, 1e-5)
			checkLogits(t, what+": graph vs reference", out, c.ref, MaxRelL2)
			if round == 0 {
				checkRows(t, what, m, graph, plain, c, out)
			}
		}
	}
}

// graphPairs are the graph backends, each with the backend that runs the
// same graph without CUDA graphs.
func graphPairs() [][2]cuda.Backend {
	by := map[string]cuda.Backend{}
	for _, b := range cuda.All() {
		by[b.Name()] = b
	}
	return [][2]cuda.Backend{{by[cuda.NameGraph], by[cuda.Name]}, {by[cuda.NameFusedGraph], by[cuda.NameFused]}}
}

// openGraph opens the graph backend b on m, skipping t if b is
// unavailable, except that a graph this module builds from m's Go
// weights (gpt2.Of; the fused graph always is) computes its positions on
// the device and must be capturable: its refusal (GraphRule: nodes
// placed off CUDA) fails t. A foreign ONNX file may be refused (skip).
func openGraph(t *testing.T, b cuda.Backend, m *model.Model, opts backends.Options) backends.Session {
	t.Helper()
	if _, built := gpt2.Of(m); built || b.Fused() {
		s, err := b.Open(m, opts)
		if err == nil {
			t.Cleanup(func() {
				if err := s.Close(); err != nil {
					t.Errorf("close %s: %v", b.Name(), err)
				}
			})
			return s
		}
		if strings.Contains(backends.Reason(err), "in CUDA graphs") {
			t.Fatalf("%s on %s: %v; a graph built here must place every node on %s", b.Name(), m.Identity.Name, err, cuda.ProviderName)
		}
	}
	return backendtest.Open(t, b, m, opts)
}

func checkLogits(t *testing.T, what string, got, want []float32, tol float64) {
	t.Helper()
	d, err := backendtest.Compare(got, want)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if d.RelL2 > tol {
		t.Errorf("%s: %v, want relative L2 ≤ %g", what, d, tol)
	}
}

// checkRows compares the rows from several offsets of the graph's logits
// (full, for c) with ort-cuda's PrefillRows, and checks that the graph
// session refuses PrefillRows itself.
func checkRows(t *testing.T, what string, m *model.Model, graph, plain backends.Session, c *graphCase, full []float32) {
	t.Helper()
	v, seq := m.Vocab, c.sc.Seq
	for _, from := range []int{0, seq / 2, seq - 1} {
		rows := make([]float32, m.LogitsLen(c.sc.Batch, seq-from))
		err := graph.(backends.RowPrefiller).PrefillRows(c.tokens, c.sc.Batch, seq, from, rows)
		if !errors.Is(err, backends.ErrUnavailable) || backends.Reason(err) != cuda.GraphNoRows {
			t.Errorf("%s: graph PrefillRows from %d = %v, want unavailable: %s", what, from, err, cuda.GraphNoRows)
		}
		backendtest.Poison(rows)
		if err := plain.(backends.RowPrefiller).PrefillRows(c.tokens, c.sc.Batch, seq, from, rows); err != nil {
			t.Fatalf("%s: ort-cuda PrefillRows from %d: %v", what, from, err)
		}
		var want []float32
		for i := range c.sc.Batch {
			want = append(want, full[(i*seq+from)*v:(i+1)*seq*v]...)
		}
		checkLogits(t, fmt.Sprintf("%s: rows from %d, ort-cuda PrefillRows vs graph Prefill", what, from), rows, want, 1e-5)
	}
}

// TestGraphRefusals: every path ort-cuda-graph inherits but cannot run on
// its captured graphs says so with an error wrapping
// backends.ErrUnavailable and a reason, so callers fall back or skip.
func TestGraphRefusals(t *testing.T) {
	for _, p := range graphPairs() {
		t.Run("backend="+p[0].Name(), func(t *testing.T) { graphRefusals(t, p[0]) })
	}
}

func graphRefusals(t *testing.T, gb cuda.Backend) {
	f := suite.Flags.Require(t)
	m := f.Model
	s := openGraph(t, gb, m, suite.Flags.Options())
	const seq = 8
	tokens := f.Tokens[:seq]
	check := func(what string, err error, reason string) {
		t.Helper()
		if !errors.Is(err, backends.ErrUnavailable) || backends.Reason(err) != reason {
			t.Errorf("%s = %v, want unavailable: %s", what, err, reason)
		}
	}
	err := s.(backends.RowPrefiller).PrefillRows(tokens, 1, seq, 4, make([]float32, m.LogitsLen(1, seq-4)))
	check("PrefillRows", err, cuda.GraphNoRows)
	bare, ok := s.(interface {
		BareRunner([]int64, int, int, []float32) (func() error, error)
	})
	if !ok {
		t.Fatalf("%T has no BareRunner", s)
	}
	_, err = bare.BareRunner(tokens, 1, seq, make([]float32, m.LogitsLen(1, seq)))
	check("BareRunner", err, cuda.GraphNoBareRunner)
	_, err = s.(backends.Generator).NewDecoder(1, seq)
	check("NewDecoder", err, backends.NoGeneration)
	_, _, _, err = s.(*cuda.Session).DecoderSession(1, seq)
	check("DecoderSession", err, backends.NoGeneration)
	// The refusals leave the session working: every logit written.
	out := make([]float32, m.LogitsLen(1, seq))
	backendtest.Poison(out)
	if err := s.Prefill(tokens, 1, seq, out); err != nil {
		t.Fatal(err)
	}
	if _, err := backendtest.Compare(out, out); err != nil {
		t.Errorf("Prefill after the refusals: %v", err)
	}
}

// TestGraphCaptureRefusedSkips: a model whose shape computations ORT
// places on the CPU provider (orttest.Shaped, like a torch.onnx export of
// GPT-2) runs on ort-cuda, and ort-cuda-graph is unavailable for it
// (cuda.Backend.GraphRule; ORT 1.30 itself accepts capture with one CPU
// node) with a reason that names the nodes placed off the CUDA provider,
// so a benchmark skips it instead of failing. The benchmarks' isolation
// probe opens the backend the same way, so it gives the same reason.
func TestGraphCaptureRefusedSkips(t *testing.T) {
	orttest.Require(t)
	m := orttest.Shaped(t)
	plain := backendtest.Open(t, cuda.All()[0], m, backends.Options{})
	tokens := []int64{6, 0, 5, 1, 4, 2}
	got := make([]float32, m.LogitsLen(2, 3))
	if err := plain.Prefill(tokens, 2, 3, got); err != nil {
		t.Fatal(err)
	}
	checkLogits(t, "ort-cuda on the shaped model", got, orttest.TinyLogits(tokens), 1e-6)
	placement := ""
	for _, kv := range plain.Config() {
		if kv[0] == "placement-kernels-by-provider" {
			placement = kv[1]
		}
	}
	if !strings.Contains(placement, "CPUExecutionProvider") {
		suite.Skip(t, "ORT placed every node of %s on the CUDA provider (%s): nothing for graph capture to refuse", m.Identity.Name, placement)
	}
	s, err := cuda.All()[1].Open(m, backends.Options{})
	if err == nil {
		s.Close()
		t.Fatalf("ort-cuda-graph opened %s although ORT placed nodes off CUDA (%s)", m.Identity.Name, placement)
	}
	r := backends.Reason(err)
	if !errors.Is(err, backends.ErrUnavailable) {
		t.Fatalf("ort-cuda-graph on %s: %v, want unavailable (a skip, not a failure)", m.Identity.Name, err)
	}
	for _, want := range []string{"ORT cannot capture model " + m.Identity.Name, "placed outside " + cuda.ProviderName, "@CPUExecutionProvider"} {
		if !strings.Contains(r, want) {
			t.Errorf("reason %q does not contain %q", r, want)
		}
	}
	t.Logf("unavailable: %s", r)
}
