package accuracy

import (
	"errors"
	"strings"
	"testing"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/lm/gpt2"
	"github.com/inferbench/inferbench/internal/lm/zoo"
)

// untrainedTokens keeps the untrained-model test to one short window.
const untrainedTokens = 200

// seededLike builds, through the zoo, a model shaped like the flags' model
// with seeded weights of the given kind.
func seededLike(t *testing.T, kind model.WeightsKind) (*model.Model, *inputs) {
	t.Helper()
	in, err := sharedInputs()
	if err != nil {
		t.Fatal(err)
	}
	src, ok := gpt2.Of(in.model)
	if !ok {
		t.Skipf("model %s has no configuration to seed (foreign ONNX file)", in.model.Identity.Name)
	}
	cfg := src.Config
	m, err := zoo.FromWeights(in.model.Identity.Name+"-seeded-"+string(kind), "", cfg, gpt2.Seeded(cfg, zoo.Seed), kind, zoo.Options{CacheDir: in.model.CacheDir})
	if err != nil {
		t.Fatal(err)
	}
	return m, in
}

// TestSeededModelRefused: a seeded model — the zoo's gpt2-tiny-seeded, or
// seeded weights shaped like the flags' model — is refused before any
// session opens, with a message saying why.
func TestSeededModelRefused(t *testing.T) {
	zooSeeded, err := zoo.Resolve("gpt2-tiny-seeded", zoo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	derived, in := seededLike(t, model.Seeded)
	for _, m := range []*model.Model{zooSeeded, derived} {
		base := &spyBackend{Backend: mustLookup(t, Reference)}
		cand := &spyBackend{Backend: mustLookup(t, Reference), name: "reference-copy"}
		_, err := Evaluate(m, in.corpus, in.tokens, base, []backends.Backend{cand}, Config{})
		if !errors.Is(err, ErrSeeded) || !strings.Contains(err.Error(), m.Identity.Name) || !strings.Contains(err.Error(), "latency") {
			t.Errorf("%s: err %v, want ErrSeeded saying why", m.Identity.Name, err)
		}
		if base.opened+cand.opened != 0 {
			t.Errorf("%s: %d sessions opened before the refusal", m.Identity.Name, base.opened+cand.opened)
		}
	}
}

// TestUntrainedModelInvalid: seeded weights whose kind the zoo cannot know
// (as for a user's checkpoint) are measured, found untrained, and every
// verdict is INVALID, even for a candidate identical to the baseline.
func TestUntrainedModelInvalid(t *testing.T) {
	m, in := seededLike(t, model.Unknown)
	base := mustLookup(t, Reference)
	cand := &spyBackend{Backend: base, name: "reference-copy"}
	toks := in.tokens[:min(len(in.tokens), untrainedTokens)]
	rep, err := Evaluate(m, in.corpus, toks, base, []backends.Backend{cand}, Config{Window: *flagWindow})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("seeded weights: baseline PPL %.1f over %d tokens (vocabulary %d)", rep.Baseline.PPL, rep.Baseline.Scored, m.Vocab)
	if rep.Baseline.PPL <= UntrainedPPL(m.Vocab) {
		t.Fatalf("seeded weights score PPL %.1f ≤ %.1f: the untrained threshold would not catch them", rep.Baseline.PPL, UntrainedPPL(m.Vocab))
	}
	if !strings.Contains(rep.Invalid, ErrUntrained.Error()) {
		t.Errorf("report not invalid: %q", rep.Invalid)
	}
	r := rep.Result("reference-copy")
	if r == nil || r.Verdict.Status != Invalid || r.DeltaRel != 0 {
		t.Fatalf("candidate: %+v, want INVALID despite identical logits", r)
	}
	if err := CheckTrained(m.Identity.Name, rep.Baseline.PPL, m.Vocab); !errors.Is(err, ErrUntrained) {
		t.Errorf("CheckTrained: %v", err)
	}
}

// spyBackend renames a backend (so that it can judge itself) and counts
// opened sessions.
type spyBackend struct {
	backends.Backend
	name   string
	opened int
}

func (s *spyBackend) Name() string {
	if s.name != "" {
		return s.name
	}
	return s.Backend.Name()
}

func (s *spyBackend) Open(m *model.Model, opts backends.Options) (backends.Session, error) {
	s.opened++
	return s.Backend.Open(m, opts)
}

func mustLookup(t *testing.T, name string) backends.Backend {
	t.Helper()
	b, err := backends.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
