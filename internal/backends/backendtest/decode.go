package backendtest

import (
	"errors"
	"testing"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
)

// CompareDecoders decodes two sequences teacher-forced with cand and base
// (decoders for batch 2 and maxLen positions): prompts of prompt tokens
// from tokens[0:] and tokens[100:], then steps fed the corpus's next tokens
// until the caches hold maxLen positions. The prefill's and every step's
// logits must match within relative L2 tol, with every element written
// (each buffer is poisoned before the call that fills it); then a step past
// maxLen must fail with model.ErrTooLong. tokens must hold 100+maxLen ids.
func CompareDecoders(t *testing.T, cand, base backends.Decoder, tokens []int64, prompt, maxLen int, tol float64) {
	t.Helper()
	in := append(append([]int64(nil), tokens[:prompt]...), tokens[100:100+prompt]...)
	got, err := cand.Prefill(in, prompt)
	if err != nil {
		t.Fatal(err)
	}
	want, err := base.Prefill(in, prompt)
	if err != nil {
		t.Fatal(err)
	}
	check := func(what string, step int) {
		t.Helper()
		d, err := Compare(got, want)
		if err != nil {
			t.Fatalf("prompt %d, %s %d: %v", prompt, what, step, err)
		}
		if d.RelL2 > tol {
			t.Errorf("prompt %d, %s %d: %v, want relative L2 ≤ %g", prompt, what, step, d, tol)
		}
	}
	check("prefill", 0)
	for i := range maxLen - prompt {
		next := []int64{tokens[prompt+i], tokens[100+prompt+i]}
		Poison(got)
		if got, err = cand.Step(next); err != nil {
			t.Fatal(err)
		}
		Poison(want) // got must not alias want
		if want, err = base.Step(next); err != nil {
			t.Fatal(err)
		}
		check("step", i+1)
	}
	if cand.Len() != maxLen {
		t.Errorf("Len %d, want %d", cand.Len(), maxLen)
	}
	if _, err := cand.Step(tokens[:2]); !errors.Is(err, model.ErrTooLong) {
		t.Errorf("a step past %d positions: %v, want ErrTooLong", maxLen, err)
	}
}
