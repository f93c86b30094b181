package accuracy

import (
	"math"
	"testing"

	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/fixtures/gpt2tiny"
	"github.com/inferbench/inferbench/internal/backends/suite"
	"github.com/inferbench/inferbench/internal/lm/zoo"
)

// manifestNLLTolerance is how far, in nats per token, our held-out mean NLL
// may sit from the training pipeline's: both compute in float32 on the
// same fp16 weights, so they differ by summation order only (1e-4 nats is
// a relative perplexity difference of 1e-4).
const manifestNLLTolerance = 1e-4

// TestPerplexityMatchesManifest checks the whole evaluation (tokenizer,
// sliding windows, log-softmax) against an independent implementation: the
// PyTorch/Hugging Face pipeline that trained gpt2-tiny recorded its
// held-out perplexity in MANIFEST.json with the same window and stride.
func TestPerplexityMatchesManifest(t *testing.T) {
	man, err := gpt2tiny.ReadManifest()
	if err != nil {
		t.Fatal(err)
	}
	in, err := sharedInputs()
	if err != nil {
		t.Fatal(err)
	}
	h := man.Heldout
	switch {
	case suite.Flags.Model != zoo.Default || in.model.Identity.Weights != model.Trained:
		t.Skipf("model %s (%s weights) is not the trained gpt2-tiny the manifest scores", in.model.Identity.Name, in.model.Identity.Weights)
	case in.corpus.SHA256 != h.SHA256 || len(in.tokens)-1 != h.TokensScored:
		t.Skipf("corpus %s (%d tokens) is not the manifest's held-out text (%d tokens scored)", in.corpus.Name, len(in.tokens), h.TokensScored)
	}
	g := runGates(t)
	rep := g.Report
	if rep.Window != h.Window || rep.Stride != h.Stride {
		t.Skipf("window %d stride %d, the manifest's %d and %d", rep.Window, rep.Stride, h.Window, h.Stride)
	}
	b := rep.Baseline
	t.Logf("held-out mean NLL %.6f (PPL %.3f) by %s; manifest %.6f (PPL %.3f)", b.MeanNLL, b.PPL, b.Backend, h.MeanNLL, h.PPL)
	if b.Scored != h.TokensScored || !(math.Abs(b.MeanNLL-h.MeanNLL) <= manifestNLLTolerance) {
		t.Errorf("%s scores %d tokens, mean NLL %.6f; the training pipeline scored %d, %.6f (tolerance %g nats)",
			b.Backend, b.Scored, b.MeanNLL, h.TokensScored, h.MeanNLL, manifestNLLTolerance)
	}
}
