package accuracy

import (
	"math"
	"testing"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/accuracy/eval"
	"github.com/inferbench/inferbench/internal/backends/backendtest"
	"github.com/inferbench/inferbench/internal/backends/ort/cpu"
	"github.com/inferbench/inferbench/internal/backends/suite"
	"github.com/inferbench/inferbench/internal/lm/gpt2"
)

// wholeOnly hides a session's PrefillRows: the evaluation prefills whole
// windows.
type wholeOnly struct{ backends.Session }

// TestEvaluateRowsMatchesWhole evaluates the suite's model with the gate's
// backends (ort-cpu baseline; ort-cpu-fp16, ort-cpu-int8 and the reference
// as candidates) once through PrefillRows (logits of the scored rows only)
// and once through Prefill, over windows of 64 with stride 32: every
// perplexity and divergence must agree to float rounding (relative 1e-6;
// the row-prefill graphs compute the kept rows as the prefill graphs do).
func TestEvaluateRowsMatchesWhole(t *testing.T) {
	f := suite.Flags.Require(t)
	m := f.Model
	if _, ok := gpt2.Of(m); !ok {
		suite.Skip(t, "model %s has no Go weights: no row-prefill graph", m.Identity.Name)
	}
	const window, n = 64, 64 + 7*32
	if len(f.Tokens) < n {
		suite.Skip(t, "corpus of %d tokens, want %d", len(f.Tokens), n)
	}
	opts := suite.Flags.Options()
	opts.Overlapped = true
	names := []string{cpu.Name, cpu.NameFP16, cpu.NameINT8, Reference}
	var rows, whole []eval.Run
	for _, name := range names {
		be, err := backends.Lookup(name)
		if err != nil {
			t.Fatal(err)
		}
		s := backendtest.Open(t, be, m, opts)
		if _, ok := s.(backends.RowPrefiller); !ok {
			t.Fatalf("%s session %T is not a backends.RowPrefiller", name, s)
		}
		rows = append(rows, eval.Run{Name: name, Session: s})
		whole = append(whole, eval.Run{Name: name, Session: wholeOnly{s}})
	}
	toks := f.Tokens[:n]
	opt := eval.Options{Window: window}
	got, err := eval.Evaluate(m, toks, rows[0], rows[1:], opt)
	if err != nil {
		t.Fatal(err)
	}
	want, err := eval.Evaluate(m, toks, whole[0], whole[1:], opt)
	if err != nil {
		t.Fatal(err)
	}
	near := func(a, b float64) bool { return math.Abs(a-b) <= 1e-6*math.Max(math.Abs(b), 1e-9) }
	for i, g := range append([]eval.Score{got.Baseline}, got.Candidates...) {
		w := append([]eval.Score{want.Baseline}, want.Candidates...)[i]
		gp, wp := g.Perplexity, w.Perplexity
		if gp.Tokens != n-1 || gp.Tokens != wp.Tokens || !near(gp.SumNLL, wp.SumNLL) {
			t.Errorf("%s: NLL %.12g over %d tokens through PrefillRows, %.12g over %d through Prefill", g.Name, gp.SumNLL, gp.Tokens, wp.SumNLL, wp.Tokens)
		}
		gd, wd := g.Divergence, w.Divergence
		if gd.Positions != wd.Positions || gd.Top1 != wd.Top1 || !near(gd.KLMean, wd.KLMean) || !near(gd.KLP99, wd.KLP99) {
			t.Errorf("%s: divergence %+v through PrefillRows, %+v through Prefill", g.Name, gd, wd)
		}
		t.Logf("%s: NLL %.12g vs %.12g, KL mean %.6g vs %.6g", g.Name, gp.SumNLL, wp.SumNLL, gd.KLMean, wd.KLMean)
	}
}

// TestEvaluateOpensOverlapped: the gate's sessions are opened knowing that
// scoring overlaps their forward passes (ort-cpu then does not spin).
func TestEvaluateOpensOverlapped(t *testing.T) {
	m := fakeModel(model.Trained)
	base := &fakeBackend{name: "base", precision: model.FP32}
	cand := &fakeBackend{name: "cand", precision: model.FP32}
	if _, err := Evaluate(m, nil, fakeTokens(300), base, []backends.Backend{cand}, Config{Window: 64}); err != nil {
		t.Fatal(err)
	}
	if !base.opts.Overlapped || !cand.opts.Overlapped {
		t.Errorf("sessions opened with %+v and %+v, want Overlapped", base.opts, cand.opts)
	}
}
