package accuracy

import (
	"fmt"
	"strings"
	"testing"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/backends/backendtest"
	"github.com/inferbench/inferbench/internal/backends/suite"
	"github.com/inferbench/inferbench/internal/lm/gpt2"
	"github.com/inferbench/inferbench/internal/lm/workload"
	"github.com/inferbench/inferbench/internal/metrics"
)

// Greedy decoding checked by TestGreedyDecodeMatchesReference: two
// sequences of the corpus, 16-token prompts, 24 new tokens.
const (
	greedyBatch  = 2
	greedyPrompt = 16
	greedyNew    = 24
)

// decodeBound is the relative L2 error a backend's logits may have, against
// the reference and against its own prefill of the whole prefix: the
// conformance bound of its precision (metrics.RelL2Bound).
func decodeBound(be backends.Backend) float64 {
	return metrics.RelL2Bound(string(be.Precision()), !strings.HasPrefix(be.Device(), "cpu"))
}

// TestGreedyDecodeMatchesReference decodes greedily with every available
// backend's KV cache and checks it against the pure-Go reference's.
//
// The candidate is fed the reference's greedy tokens (teacher forcing), so
// both always see the same prefix, and at every step
//
//   - its argmax must be the reference's token, unless the two are a near
//     tie: the reference's margin between its token and the candidate's
//     is at most 2·bound·RMS(reference logits), twice the per-logit error
//     the precision's relative-L2 bound permits on average, and at most
//     6·RMS(this step's logit error), so that a flip needs no error on the
//     two decisive logits beyond three times the step's typical one (any
//     flip has a margin within 2·max|error|, so a bound on the maximum
//     could not fail). Where every argmax agrees, the candidate's own
//     greedy continuation is the reference's token for token; near ties
//     are counted and logged;
//   - its cached logits must match the reference's (relative L2 ≤ bound);
//   - its cached logits must match its own Prefill of the whole prefix
//     without a cache (relative L2 ≤ bound): a cache bug (a wrong
//     position, a stale or misplaced key) breaks this even where the
//     precision bound against the reference is loose.
//
// The model, corpus, -threads and -backends (the candidates) are the
// suite's (package suite); backends whose sessions cannot generate are
// skipped with the reason.
func TestGreedyDecodeMatchesReference(t *testing.T) {
	f := suite.Flags.Require(t)
	m := f.Model
	if _, ok := gpt2.Of(m); !ok {
		suite.Skip(t, "model %s has no Go weights: the reference cannot run it", m.Identity.Name)
	}
	if m.Positions > 0 && greedyPrompt+greedyNew > m.Positions {
		suite.Skip(t, "model %s: %d positions exceed n_positions %d", m.Identity.Name, greedyPrompt+greedyNew, m.Positions)
	}
	prompt, err := workload.Inputs(f.Tokens, workload.Scenario{Name: "greedy", Batch: greedyBatch, Seq: greedyPrompt})
	if err != nil {
		t.Fatal(err)
	}
	opts := suite.Flags.Options()
	base, cands, err := SelectBackends(Reference, suite.Flags.BackendNames())
	if err != nil {
		t.Fatal(err)
	}
	want := referenceGreedy(t, base, m, opts, prompt)
	t.Logf("reference greedy continuations: %v", want.tokens)
	for _, be := range cands {
		t.Run("backend="+be.Name(), func(t *testing.T) {
			s := backendtest.Open(t, be, m, opts)
			dec, err := backends.NewDecoder(be.Name(), s, greedyBatch, greedyPrompt+greedyNew)
			if err != nil {
				if r := backends.Reason(err); r != "" {
					suite.Skip(t, "%s", r)
				}
				t.Fatal(err)
			}
			defer dec.Close()
			checkGreedy(t, be, m, s, dec, prompt, want)
		})
	}
}

// greedyRun is a reference generation: per step, the logits rows [batch]
// and the chosen tokens.
type greedyRun struct {
	logits [][]float32 // [step][batch·vocab]
	tokens [][]int64   // [batch][step]
}

func referenceGreedy(t *testing.T, be backends.Backend, m *model.Model, opts backends.Options, prompt []int64) *greedyRun {
	t.Helper()
	s := backendtest.Open(t, be, m, opts)
	dec, err := backends.NewDecoder(be.Name(), s, greedyBatch, greedyPrompt+greedyNew)
	if err != nil {
		t.Fatal(err)
	}
	defer dec.Close()
	run := &greedyRun{tokens: make([][]int64, greedyBatch)}
	logits, err := dec.Prefill(prompt, greedyPrompt)
	if err != nil {
		t.Fatal(err)
	}
	rows := lastRows(logits, greedyBatch, greedyPrompt, m.Vocab)
	for step := range greedyNew {
		run.logits = append(run.logits, rows)
		next := make([]int64, greedyBatch)
		for r := range greedyBatch {
			next[r] = backends.Argmax(rows[r*m.Vocab:][:m.Vocab])
			run.tokens[r] = append(run.tokens[r], next[r])
		}
		if step == greedyNew-1 {
			break
		}
		if logits, err = dec.Step(next); err != nil {
			t.Fatal(err)
		}
		rows = append([]float32(nil), logits...)
	}
	return run
}

// lastRows copies the logits of every sequence's last position.
func lastRows(logits []float32, batch, seq, vocab int) []float32 {
	out := make([]float32, 0, batch*vocab)
	for r := range batch {
		out = append(out, logits[((r+1)*seq-1)*vocab:][:vocab]...)
	}
	return out
}

func checkGreedy(t *testing.T, be backends.Backend, m *model.Model, s backends.Session, dec backends.Decoder, prompt []int64, want *greedyRun) {
	bound, vocab := decodeBound(be), m.Vocab
	logits, err := dec.Prefill(prompt, greedyPrompt)
	if err != nil {
		t.Fatal(err)
	}
	rows := lastRows(logits, greedyBatch, greedyPrompt, vocab)
	seqs := make([][]int64, greedyBatch)
	for r := range greedyBatch {
		seqs[r] = append([]int64(nil), prompt[r*greedyPrompt:(r+1)*greedyPrompt]...)
	}
	var worstRef, worstSelf backendtest.Diff
	ties := 0
	for step := range greedyNew {
		seq := greedyPrompt + step
		where := fmt.Sprintf("%s, step %d (%d positions)", be.Name(), step, seq)
		d, err := backendtest.Compare(rows, want.logits[step])
		if err != nil {
			t.Fatalf("%s: cached vs reference: %v", where, err)
		}
		if d.RelL2 > bound {
			t.Errorf("%s: cached logits vs reference: %v exceeds %g", where, d, bound)
		}
		worstRef = worse(worstRef, d)
		errRMS := d.RelL2 * metrics.RMS(want.logits[step])
		// The same prefix recomputed by the backend without a cache.
		flat := make([]int64, 0, greedyBatch*seq)
		for r := range greedyBatch {
			flat = append(flat, seqs[r]...)
		}
		full := make([]float32, m.LogitsLen(greedyBatch, seq))
		backendtest.Poison(full)
		if err := s.Prefill(flat, greedyBatch, seq, full); err != nil {
			t.Fatalf("%s: prefill of the prefix: %v", where, err)
		}
		d, err = backendtest.Compare(rows, lastRows(full, greedyBatch, seq, vocab))
		if err != nil {
			t.Fatalf("%s: cached vs prefill: %v", where, err)
		}
		if d.RelL2 > bound {
			t.Errorf("%s: cached logits vs its own prefill of the prefix: %v exceeds %g", where, d, bound)
		}
		worstSelf = worse(worstSelf, d)

		next := make([]int64, greedyBatch)
		for r := range greedyBatch {
			ref := want.logits[step][r*vocab:][:vocab]
			tok, got := want.tokens[r][step], backends.Argmax(rows[r*vocab:][:vocab])
			if got != tok {
				gap := float64(ref[tok]) - float64(ref[got])
				allowed := min(2*bound*metrics.RMS(ref), 6*errRMS)
				if gap > allowed {
					t.Errorf("%s, sequence %d: greedy token %d, reference %d, whose logit leads by %.4g (a near tie is ≤ %.4g at this precision)", where, r, got, tok, gap, allowed)
				} else {
					ties++
					t.Logf("%s, sequence %d: near tie: token %d instead of the reference's %d (margin %.4g ≤ %.4g)", where, r, got, tok, gap, allowed)
				}
			}
			next[r] = tok // teacher forcing: keep the reference's prefix
			seqs[r] = append(seqs[r], tok)
		}
		if step == greedyNew-1 {
			break
		}
		if logits, err = dec.Step(next); err != nil {
			t.Fatal(err)
		}
		rows = append(rows[:0], logits...)
	}
	if dec.Len() != greedyPrompt+greedyNew-1 {
		t.Errorf("decoder holds %d positions, want %d", dec.Len(), greedyPrompt+greedyNew-1)
	}
	t.Logf("%s on %s: %d sequences × %d greedy tokens, %d near ties; worst step vs reference %v; vs own prefill %v (bound %g)",
		be.Name(), m.Identity.Name, greedyBatch, greedyNew, ties, worstRef, worstSelf, bound)
}

func worse(a, b backendtest.Diff) backendtest.Diff {
	if b.RelL2 >= a.RelL2 {
		return b
	}
	return a
}
