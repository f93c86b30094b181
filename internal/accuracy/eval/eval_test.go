package eval

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/metrics"
)

// TestEvaluateMatchesDirect: for every window length and batch size, the
// sliding-window NLL of a bigram model equals its direct, window-free NLL,
// over exactly n-1 tokens. A row off by one, a token scored twice or a
// token skipped changes the sum.
func TestEvaluateMatchesDirect(t *testing.T) {
	const vocab = 11
	m := fakeModel(vocab, 16)
	for _, n := range []int{2, 3, 15, 16, 17, 50, 101} {
		tokens := fakeTokens(n, vocab)
		want := (&bigram{vocab: vocab}).directNLL(tokens)
		for _, window := range []int{2, 3, 8, 16} {
			for _, batch := range []int{1, 3, 4} {
				res, err := Evaluate(m, tokens, Run{"base", &bigram{vocab: vocab}}, nil, Options{Window: window, Batch: batch})
				if err != nil {
					t.Fatalf("n=%d window=%d batch=%d: %v", n, window, batch, err)
				}
				p := res.Baseline.Perplexity
				if p.Tokens != n-1 || math.Abs(p.SumNLL-want) > 1e-9*math.Max(1, want) {
					t.Errorf("n=%d window=%d batch=%d: %d tokens, NLL %.12g; want %d, %.12g", n, window, batch, p.Tokens, p.SumNLL, n-1, want)
				}
			}
		}
	}
}

// TestEvaluateBatching: equal windows go batch at a time, the short last
// window alone, all of window length (capped at n_positions).
func TestEvaluateBatching(t *testing.T) {
	const vocab = 7
	m := fakeModel(vocab, 8)
	s := &bigram{vocab: vocab}
	// 22 tokens, window 8 (asked 100, capped), stride 4: four full windows
	// and [16, 22).
	res, err := Evaluate(m, fakeTokens(22, vocab), Run{"base", s}, nil, Options{Window: 100, Batch: 3})
	if err != nil {
		t.Fatal(err)
	}
	if want := [][2]int{{3, 8}, {1, 8}, {1, 6}}; !reflect.DeepEqual(s.calls, want) {
		t.Errorf("prefill calls %v, want %v", s.calls, want)
	}
	if res.Window != 8 || res.Stride != 4 || len(res.Windows) != 5 {
		t.Errorf("window %d stride %d, %d windows; want 8, 4, 5", res.Window, res.Stride, len(res.Windows))
	}
}

func TestEvaluateCandidates(t *testing.T) {
	const vocab = 13
	m := fakeModel(vocab, 32)
	tokens := fakeTokens(300, vocab)
	same := &bigram{vocab: vocab}
	shifted := &bigram{vocab: vocab, shift: 5}
	small := &bigram{vocab: vocab, noise: 0.01}
	large := &bigram{vocab: vocab, noise: 1}
	res, err := Evaluate(m, tokens, Run{"base", &bigram{vocab: vocab}},
		[]Run{{"same", same}, {"shifted", shifted}, {"small", small}, {"large", large}}, Options{Window: 32})
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]Score{}
	for _, c := range res.Candidates {
		byName[c.Name] = c
	}
	base := res.Baseline.Perplexity
	if d := byName["same"].Divergence; d.KLMean != 0 || d.Top1 != 1 || d.MaxAbsDelta != 0 || d.RelL2 != 0 || d.Positions != 299 {
		t.Errorf("identical candidate: %+v", d)
	}
	if p := byName["same"].Perplexity; p != base {
		t.Errorf("identical candidate: perplexity %+v, baseline %+v", p, base)
	}
	if d := byName["shifted"].Divergence; d.KLMean > 1e-12 || d.Top1 != 1 || math.Abs(d.MaxAbsDelta-5) > 1e-5 {
		t.Errorf("shifted candidate: %+v", d)
	}
	s, l := byName["small"].Divergence, byName["large"].Divergence
	if !(0 < s.KLMean && s.KLMean < l.KLMean && s.KLP99 < l.KLP99 && s.RelL2 < l.RelL2 && l.Top1 < 1) {
		t.Errorf("divergence does not grow with noise: small %+v, large %+v", s, l)
	}
	if s.KLMean > 1e-3 || s.KLP99 < s.KLMean || s.KLMax < s.KLP99 {
		t.Errorf("small noise: %+v", s)
	}
	// Few positions: weak statistics are warnings.
	if len(byName["large"].Warnings) == 0 || !errors.Is(byName["large"].Warnings[0], metrics.ErrWeak) {
		t.Errorf("warnings %v, want weak statistics", byName["large"].Warnings)
	}
}

// TestEvaluateDeterministic: batch size does not change any number.
func TestEvaluateDeterministic(t *testing.T) {
	const vocab = 9
	m := fakeModel(vocab, 16)
	tokens := fakeTokens(200, vocab)
	var first *Result
	for _, batch := range []int{1, 2, 5} {
		res, err := Evaluate(m, tokens, Run{"base", &bigram{vocab: vocab}}, []Run{{"c", &bigram{vocab: vocab, noise: 0.3}}}, Options{Batch: batch})
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = res
			continue
		}
		if res.Baseline.Perplexity != first.Baseline.Perplexity || res.Candidates[0].Perplexity != first.Candidates[0].Perplexity ||
			res.Candidates[0].Divergence != first.Candidates[0].Divergence {
			t.Errorf("batch %d: %+v, batch 1: %+v", batch, res.Candidates[0], first.Candidates[0])
		}
	}
}

func TestEvaluateErrors(t *testing.T) {
	const vocab = 5
	tokens := fakeTokens(40, vocab)
	ok := func() Run { return Run{"ok", &bigram{vocab: vocab}} }
	tests := []struct {
		name   string
		m      *model.Model
		tokens []int64
		base   Run
		cands  []Run
		opt    Options
		want   error
		msg    string
	}{
		{"prefill fails", fakeModel(vocab, 8), tokens, ok(), []Run{{"bad", &bigram{vocab: vocab, fail: errFake}}}, Options{}, errFake, "bad: prefill"},
		{"nan logits", fakeModel(vocab, 8), tokens, ok(), []Run{{"nan", &bigram{vocab: vocab, nan: true}}}, Options{}, metrics.ErrNotFinite, "nan: position"},
		{"nan baseline", fakeModel(vocab, 8), tokens, Run{"nanbase", &bigram{vocab: vocab, nan: true}}, nil, Options{}, metrics.ErrNotFinite, "nanbase"},
		{"one token", fakeModel(vocab, 8), tokens[:1], ok(), nil, Options{}, metrics.ErrTooShort, "1 tokens"},
		{"bad token", fakeModel(vocab, 8), []int64{1, 2, vocab}, ok(), nil, Options{}, model.ErrBadToken, "position 2"},
		{"no window", fakeModel(vocab, 0), tokens, ok(), nil, Options{}, ErrNoWindow, "n_positions"},
		{"no vocab", fakeModel(0, 8), tokens, ok(), nil, Options{}, model.ErrBadShape, "vocabulary"},
	}
	for _, tt := range tests {
		_, err := Evaluate(tt.m, tt.tokens, tt.base, tt.cands, tt.opt)
		if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("%s: got %v, want %v mentioning %q", tt.name, err, tt.want, tt.msg)
		}
	}
}

func TestWindowFor(t *testing.T) {
	tests := []struct{ positions, window, want int }{
		{1024, 0, 1024}, {1024, 256, 256}, {128, 1024, 128}, {0, 64, 64},
	}
	for _, tt := range tests {
		got, err := WindowFor(fakeModel(5, tt.positions), tt.window)
		if err != nil || got != tt.want {
			t.Errorf("WindowFor(positions %d, window %d) = %d, %v; want %d", tt.positions, tt.window, got, err, tt.want)
		}
	}
}

// slow delays every Prefill so that progress lines appear.
type slow struct {
	bigram
	d time.Duration
}

func (s *slow) Prefill(tokens []int64, batch, seq int, logits []float32) error {
	time.Sleep(s.d)
	return s.bigram.Prefill(tokens, batch, seq, logits)
}

func TestProgress(t *testing.T) {
	const vocab = 5
	var buf bytes.Buffer
	s := &slow{bigram{vocab: vocab}, 2 * time.Millisecond}
	_, err := Evaluate(fakeModel(vocab, 4), fakeTokens(40, vocab), Run{"slow", s}, nil,
		Options{Batch: 1, Progress: &buf, ProgressEvery: time.Millisecond, Label: "slow-backend"})
	if err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.Contains(out, "accuracy: slow-backend: windows ") || !strings.Contains(out, "of 39 tokens scored") || !strings.Contains(out, "tok/s") ||
		!strings.Contains(out, ", ETA ") || !strings.Contains(out, "done: windows 19/19") {
		t.Errorf("progress output:\n%s", out)
	}
	buf.Reset()
	if _, err := Evaluate(fakeModel(vocab, 4), fakeTokens(40, vocab), Run{"fast", &bigram{vocab: vocab}}, nil, Options{Progress: &buf}); err != nil {
		t.Fatal(err)
	}
	if buf.Len() != 0 {
		t.Errorf("a fast evaluation printed progress:\n%s", buf.String())
	}
}

// TestEvaluateRows: when every session is a backends.RowPrefiller, groups
// after the first ask only for the rows from stride−1 on (the first
// window's group for all), and every sum (perplexity and divergence) is
// the full-logits path's; with one session lacking it, every session gets
// Prefill.
func TestEvaluateRows(t *testing.T) {
	const vocab = 11
	m := fakeModel(vocab, 16)
	for _, n := range []int{2, 17, 50, 101} {
		tokens := fakeTokens(n, vocab)
		for _, window := range []int{2, 3, 8, 16} {
			for _, batch := range []int{1, 3} {
				opt := Options{Window: window, Batch: batch}
				full, err := Evaluate(m, tokens, Run{"base", &bigram{vocab: vocab}}, []Run{{"cand", &bigram{vocab: vocab, noise: 0.3}}}, opt)
				if err != nil {
					t.Fatal(err)
				}
				base, cand := &rowBigram{bigram: bigram{vocab: vocab}}, &rowBigram{bigram: bigram{vocab: vocab, noise: 0.3}}
				rows, err := Evaluate(m, tokens, Run{"base", base}, []Run{{"cand", cand}}, opt)
				if err != nil {
					t.Fatalf("n=%d window=%d batch=%d: %v", n, window, batch, err)
				}
				name := fmt.Sprintf("n=%d window=%d batch=%d", n, window, batch)
				sameScore(t, name+" baseline", rows.Baseline, full.Baseline)
				sameScore(t, name+" candidate", rows.Candidates[0], full.Candidates[0])
				var want, whole []int
				for _, g := range metrics.Groups(full.Windows, batch) {
					from := g[0].Len() - 1
					for _, w := range g {
						from = min(from, w.Row(w.Score))
					}
					want, whole = append(want, from), append(whole, -1)
				}
				if !reflect.DeepEqual(base.froms, want) || !reflect.DeepEqual(cand.froms, want) {
					t.Errorf("%s: first rows %v and %v, want %v", name, base.froms, cand.froms, want)
				}
				if window >= 8 && len(want) > 1 && want[1] != metrics.Stride(window)-1 {
					t.Errorf("%s: second group from row %d, want stride−1 = %d", name, want[1], metrics.Stride(window)-1)
				}
				mixed := &rowBigram{bigram: bigram{vocab: vocab}}
				if _, err := Evaluate(m, tokens, Run{"base", mixed}, []Run{{"cand", &bigram{vocab: vocab}}}, opt); err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(mixed.froms, whole) {
					t.Errorf("%s: one session without PrefillRows, yet the other's calls were %v, want Prefill only", name, mixed.froms)
				}
				// The candidate cannot after all: the baseline's first
				// PrefillRows is redone whole, and so is everything after.
				base = &rowBigram{bigram: bigram{vocab: vocab}}
				cand = &rowBigram{bigram: bigram{vocab: vocab, noise: 0.3}, unavailable: true}
				fell, err := Evaluate(m, tokens, Run{"base", base}, []Run{{"cand", cand}}, opt)
				if err != nil {
					t.Fatalf("%s: fallback: %v", name, err)
				}
				sameScore(t, name+" fallback baseline", fell.Baseline, full.Baseline)
				sameScore(t, name+" fallback candidate", fell.Candidates[0], full.Candidates[0])
				if wantBase := append([]int{want[0]}, whole...); !reflect.DeepEqual(base.froms, wantBase) || !reflect.DeepEqual(cand.froms, whole) {
					t.Errorf("%s: fallback calls %v and %v, want %v and %v", name, base.froms, cand.froms, wantBase, whole)
				}
			}
		}
	}
}

func sameScore(t *testing.T, name string, got, want Score) {
	t.Helper()
	tol := func(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }
	if got.Perplexity.Tokens != want.Perplexity.Tokens || !tol(got.Perplexity.SumNLL, want.Perplexity.SumNLL) {
		t.Errorf("%s: perplexity %+v, want %+v", name, got.Perplexity, want.Perplexity)
	}
	if !reflect.DeepEqual(got.Divergence, want.Divergence) {
		t.Errorf("%s: divergence %+v, want %+v", name, got.Divergence, want.Divergence)
	}
}
