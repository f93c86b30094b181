package accuracy

import (
	"errors"
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

// TestEvaluateRowsMatchesWhole evaluates the suite's model with every
// registered backend whose sessions implement backends.RowPrefiller, each
// as the candidate of an ort-cpu baseline, once as the gate does (through
// PrefillRows, logits of the scored rows only, while every session offers
// them) and once through Prefill, over windows of 64 with stride 32: every
// perplexity and divergence must agree to float rounding (relative 1e-6;
// the row-prefill graphs compute the kept rows as the prefill graphs do).
// A backend added later with rows is covered without editing this test;
// unavailable backends are skipped with their reason. A session that
// refuses rows (an error wrapping backends.ErrUnavailable, as
// ort-cuda-graph's does) is checked the same way: the evaluation must fall
// back to Prefill and give the whole-window numbers.
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
	base := openRows(t, cpu.Name, m, opts)
	toks := f.Tokens[:n]
	opt := eval.Options{Window: window}
	covered := 0
	for _, be := range backends.All() {
		t.Run(be.Name(), func(t *testing.T) {
			s := backendtest.Open(t, be, m, opts)
			rp, ok := s.(backends.RowPrefiller)
			if !ok {
				t.Skipf("%s session %T has no rows (not a backends.RowPrefiller)", be.Name(), s)
			}
			covered++
			refused := rp.PrefillRows(toks[:window], 1, window, window/2, make([]float32, m.LogitsLen(1, window/2)))
			if refused != nil && !errors.Is(refused, backends.ErrUnavailable) {
				t.Fatalf("PrefillRows: %v", refused)
			}
			if refused != nil {
				t.Logf("%s refuses rows (%v): checking that the evaluation falls back to Prefill", be.Name(), refused)
			}
			got, err := eval.Evaluate(m, toks, eval.Run{Name: cpu.Name, Session: base}, []eval.Run{{Name: be.Name(), Session: s}}, opt)
			if err != nil {
				t.Fatal(err)
			}
			want, err := eval.Evaluate(m, toks, eval.Run{Name: cpu.Name, Session: wholeOnly{base}}, []eval.Run{{Name: be.Name(), Session: wholeOnly{s}}}, opt)
			if err != nil {
				t.Fatal(err)
			}
			sameRows(t, n, got, want, rowsTolerance(be))
		})
	}
	if covered < 4 {
		t.Errorf("%d registered backends have rows, want at least ort-cpu, its fp16 and int8 and the reference", covered)
	}
}

func openRows(t *testing.T, name string, m *model.Model, opts backends.Options) backends.Session {
	t.Helper()
	be, err := backends.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	s := backendtest.Open(t, be, m, opts)
	if _, ok := s.(backends.RowPrefiller); !ok {
		t.Fatalf("%s session %T is not a backends.RowPrefiller", name, s)
	}
	return s
}

// rowsTol bounds how far an evaluation through PrefillRows may be from one
// through Prefill: relative, on each sum and KL statistic (KL values below
// klFloor count as klFloor), and in top-1 agreement, positions that may
// flip.
type rowsTol struct {
	rel, klFloor float64
	top1Flips    int
}

// rowsTolerance: on the CPU the row-prefill graph computes the kept rows as
// the prefill graph does (relative 1e-6, no top-1 flip). An accelerator's
// GEMM may pick another kernel for fewer rows, which reorders fp32 sums
// (and rounds them to 11 bits in fp16): relative 1e-5 in fp32, 1e-3 in
// reduced precision, and top-1 may flip on a near-tie at two positions.
// Another window's logits (a stale CUDA graph replay) move perplexity by
// tens of percent and KL by tenths of a nat.
func rowsTolerance(be backends.Backend) rowsTol {
	switch {
	case be.Device() == "cpu":
		return rowsTol{rel: 1e-6, klFloor: 1e-9}
	case be.Precision() == model.FP32:
		return rowsTol{rel: 1e-5, klFloor: 1e-6, top1Flips: 2}
	}
	return rowsTol{rel: 1e-3, klFloor: 1e-4, top1Flips: 2}
}

// sameRows compares an evaluation through PrefillRows with one through
// Prefill, score by score, within tol.
func sameRows(t *testing.T, n int, got, want *eval.Result, tol rowsTol) {
	t.Helper()
	near := func(a, b, floor float64) bool { return math.Abs(a-b) <= tol.rel*math.Max(math.Abs(b), floor) }
	for i, g := range append([]eval.Score{got.Baseline}, got.Candidates...) {
		w := append([]eval.Score{want.Baseline}, want.Candidates...)[i]
		gp, wp := g.Perplexity, w.Perplexity
		if gp.Tokens != n-1 || gp.Tokens != wp.Tokens || !near(gp.SumNLL, wp.SumNLL, 1e-9) {
			t.Errorf("%s: NLL %.12g over %d tokens through PrefillRows, %.12g over %d through Prefill", g.Name, gp.SumNLL, gp.Tokens, wp.SumNLL, wp.Tokens)
		}
		gd, wd := g.Divergence, w.Divergence
		flips := math.Abs(gd.Top1-wd.Top1) * float64(wd.Positions)
		if gd.Positions != wd.Positions || flips > float64(tol.top1Flips)+0.5 || !near(gd.KLMean, wd.KLMean, tol.klFloor) || !near(gd.KLP99, wd.KLP99, tol.klFloor) {
			t.Errorf("%s: divergence %+v through PrefillRows, %+v through Prefill", g.Name, gd, wd)
		}
		t.Logf("%s: NLL %.12g vs %.12g, KL mean %.6g vs %.6g", g.Name, gp.SumNLL, wp.SumNLL, gd.KLMean, wd.KLMean)
	}
}

// rowSession is a fakeSession with rows (its logits of rows from … seq−1),
// counting both kinds of call; with refuse set, PrefillRows refuses as
// ort-cuda-graph's does (an error wrapping backends.ErrUnavailable) and,
// were it called again after refusing, would return another window's
// logits, which the gate would then see.
type rowSession struct {
	fakeSession
	refuse      bool
	rows, whole int
}

func (s *rowSession) Prefill(tokens []int64, batch, seq int, logits []float32) error {
	s.whole++
	return s.fakeSession.Prefill(tokens, batch, seq, logits)
}

func (s *rowSession) PrefillRows(tokens []int64, batch, seq, from int, logits []float32) error {
	s.rows++
	if s.refuse && s.rows == 1 {
		return backends.Unavailable("fake-graph", "row prefill is not offered with CUDA graphs")
	}
	full := make([]float32, batch*seq*fakeVocab)
	stale := tokens
	if s.refuse { // a stale replay: the previous call's window
		stale = make([]int64, len(tokens))
	}
	if err := s.fakeSession.Prefill(stale, batch, seq, full); err != nil {
		return err
	}
	rows := (seq - from) * fakeVocab
	for i := range batch {
		copy(logits[i*rows:][:rows], full[(i*seq+from)*fakeVocab:][:rows])
	}
	return nil
}

// rowBackend opens one rowSession.
type rowBackend struct {
	fakeBackend
	s *rowSession
}

func (b *rowBackend) Open(*model.Model, backends.Options) (backends.Session, error) {
	b.s = &rowSession{fakeSession: b.session, refuse: b.s != nil && b.s.refuse}
	return b.s, nil
}

// TestEvaluateFallsBackWhenRowsRefused: when a candidate refuses rows
// (ort-cuda-graph does), the gate's evaluation calls its PrefillRows once,
// then prefills every group whole with every session (the baseline's first
// group again), and its verdicts and numbers are those of an evaluation
// without rows.
func TestEvaluateFallsBackWhenRowsRefused(t *testing.T) {
	m, toks := fakeModel(model.Trained), fakeTokens(600)
	cfg := Config{Window: 64, Batch: 2}
	plainBase := &fakeBackend{name: "base", precision: model.FP32}
	plainCand := &fakeBackend{name: "graph", precision: model.FP32}
	want, err := Evaluate(m, nil, toks, plainBase, []backends.Backend{plainCand}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	base := &rowBackend{fakeBackend: *plainBase}
	cand := &rowBackend{fakeBackend: *plainCand, s: &rowSession{refuse: true}}
	got, err := Evaluate(m, nil, toks, base, []backends.Backend{cand}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	groups := (got.Baseline.Scored/32 + 1) / cfg.Batch // windows of 64, stride 32
	if cand.s.rows != 1 || base.s.rows != 1 || cand.s.whole < groups || cand.s.whole != base.s.whole {
		t.Errorf("calls: candidate %d rows, %d whole; baseline %d rows, %d whole; want 1 rows each, then the same ≥ %d whole",
			cand.s.rows, cand.s.whole, base.s.rows, base.s.whole, groups)
	}
	g, w := got.Result("graph"), want.Result("graph")
	if g == nil || w == nil {
		t.Fatalf("no result for the candidate: %+v, %+v", got.Backends, want.Backends)
	}
	if g.Verdict.Status != Pass || g.Verdict.Status != w.Verdict.Status || g.PPL != w.PPL || got.Baseline.PPL != want.Baseline.PPL ||
		g.Divergence != w.Divergence {
		t.Errorf("after the refusal: %s PPL %v (baseline %v), divergence %+v; without rows: %s PPL %v (baseline %v), divergence %+v",
			g.Verdict.Status, g.PPL, got.Baseline.PPL, g.Divergence, w.Verdict.Status, w.PPL, want.Baseline.PPL, w.Divergence)
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
