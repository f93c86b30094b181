package harness

import (
	"fmt"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/internal/lm/workload"
	"github.com/inferbench/inferbench/internal/metrics"
)

// generateCheck prepares the check of backend be's greedy generations on
// scenario sc from prompt batches: the baseline's greedy continuation of
// each prompt batch, computed once, untimed, by its KV-cache decoder.
func (v *verifier) generateCheck(be backends.Backend, sc workload.GenScenario, prompts [][]int64) *Check {
	c := &Check{}
	name, s := c.choose(v, be, len(prompts)*sc.Batch*sc.Positions())
	if s == nil {
		return c
	}
	c.greedy = func(i int) ([]int64, error) {
		k := genKey{name, sc.Name, i}
		if t, ok := v.greedy[k]; ok {
			return t, nil
		}
		dec, err := backends.NewDecoder(name, s, sc.Batch, sc.Positions())
		if err != nil {
			return nil, fmt.Errorf("baseline %s: %w", name, err)
		}
		defer dec.Close()
		g := greedy{dec: dec, sc: sc, prompt: prompts[i], next: make([]int64, sc.Batch), vocab: v.p.Fixture.Model.Vocab,
			out: make([]int64, sc.Batch*sc.New)}
		if _, err := g.run(); err != nil {
			return nil, fmt.Errorf("baseline %s on prompt batch %d: %w", name, i, err)
		}
		v.greedy[k] = g.out
		return g.out, nil
	}
	c.lastRow = func(tokens []int64) ([]float32, error) {
		vocab := v.p.Fixture.Model.Vocab
		l := make([]float32, len(tokens)*vocab)
		if err := s.Prefill(tokens, 1, len(tokens), l); err != nil {
			return nil, fmt.Errorf("baseline %s: %w", name, err)
		}
		return l[len(l)-vocab:], nil
	}
	return c
}

// tokens checks one timed generation's tokens, got ([batch, new]), from
// prompt batch i. Every sequence must be the baseline's greedy
// continuation up to its end or up to a near tie: where the two first
// differ, the baseline's margin between its token and the candidate's
// (its logits for the common prefix, without a cache) must be within
// twice the per-logit error the precision's relative-L2 bound allows on
// average (2·bound·RMS of the row), as the greedy decode test allows;
// the tokens after a near tie are not compared. Called with the
// benchmark's timer stopped.
func (c *Check) generated(i int, sc workload.GenScenario, prompt, got []int64) error {
	want, err := c.greedy(i)
	if err != nil {
		return err
	}
	c.calls++
	what := fmt.Sprintf("timed generation %d (prompt batch %d)", c.calls, i)
	for r := range sc.Batch {
		g, w := got[r*sc.New:][:sc.New], want[r*sc.New:][:sc.New]
		j := 0
		for j < sc.New && g[j] == w[j] {
			j++
		}
		c.compared += j
		c.sameTokens += j
		if j == sc.New {
			continue
		}
		seq := append(append([]int64(nil), prompt[r*sc.Prompt:][:sc.Prompt]...), w[:j]...)
		row, err := c.lastRow(seq)
		if err != nil {
			return err
		}
		if g[j] < 0 || int(g[j]) >= len(row) {
			c.compared++
			c.fail(what, []metrics.Violation{{Slug: "tokens", Text: fmt.Sprintf("sequence %d, new token %d: id %d outside the vocabulary", r, j, g[j])}})
			continue
		}
		margin := float64(row[w[j]]) - float64(row[g[j]])
		if tie := 2 * c.relL2 * metrics.RMS(row); margin > tie {
			c.compared++
			c.fail(what, []metrics.Violation{{Slug: "tokens", Text: fmt.Sprintf("sequence %d, new token %d is %d where the baseline's greedy continuation has %d: a margin of %.3g logits, not a near tie (≤ %.3g)",
				r, j, g[j], w[j], margin, tie)}})
		}
	}
	return nil
}
