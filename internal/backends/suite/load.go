package suite

import (
	"errors"
	"fmt"
	"testing"

	"github.com/inferbench/inferbench/backends/model"
	_ "github.com/inferbench/inferbench/internal/backends/all" // the suite runs every backend
	"github.com/inferbench/inferbench/internal/lm/corpus"
	"github.com/inferbench/inferbench/internal/lm/zoo"
	"github.com/inferbench/inferbench/internal/memo"
	"github.com/inferbench/inferbench/internal/vocab"
)

// Fixture is what a run shares: the model, the corpus and its tokens.
type Fixture struct {
	Model  *model.Model
	Corpus *corpus.Corpus
	Tokens []int64
}

// ConfigLines are the model's identity and the corpus', as benchfmt
// configuration lines.
func (f *Fixture) ConfigLines() [][2]string {
	return append(f.Model.Identity.ConfigLines(), f.Corpus.ConfigLines()...)
}

// Load resolves the settings' model and corpus and tokenizes the corpus.
// Errors name the flag and the file: a model that does not resolve, a
// declared architecture its parameters contradict, a corpus that is
// missing, empty or not UTF-8, a token outside the model's vocabulary. A
// missing default corpus wraps corpus.ErrNoDefault.
func (s *Settings) Load() (*Fixture, error) {
	if err := s.Check(); err != nil {
		return nil, err
	}
	var (
		c   *corpus.Corpus
		err error
	)
	if s.Corpus != "" {
		c, err = corpus.Load(s.Corpus)
	} else {
		c, err = corpus.Heldout()
	}
	if err != nil {
		return nil, fmt.Errorf("-corpus: %w", err)
	}
	toks, err := c.Tokens()
	if err != nil {
		return nil, fmt.Errorf("-corpus %s: %w", c.Name, err)
	}
	name := s.Model
	if name == "" {
		name = zoo.Default
	}
	m, err := zoo.Resolve(name, zoo.Options{Architecture: s.Arch})
	if err != nil {
		return nil, fmt.Errorf("-model %s: %w", name, err)
	}
	if m.Vocab > 0 {
		if err := vocab.Check(toks, m.Vocab); err != nil {
			return nil, fmt.Errorf("-corpus %s, -model %s: %w: %w", c.Name, m.Identity.Name, err, model.ErrBadToken)
		}
	}
	return &Fixture{Model: m, Corpus: c, Tokens: toks}, nil
}

// key is what Load depends on.
type key struct {
	model, arch, corpus string
	threads             int
}

var shared memo.Map[key, *Fixture]

// Shared is Load, once per process for equal settings: every test of a
// binary sees the same model and tokens.
func (s *Settings) Shared() (*Fixture, error) {
	return shared.Get(key{s.Model, s.Arch, s.Corpus, s.Threads}, s.Load)
}

// Require returns the settings' shared fixture for tb. It skips tb with
// the reason when the default corpus is not installed, and fails it on any
// other error.
func (s *Settings) Require(tb testing.TB) *Fixture {
	tb.Helper()
	f, err := s.Shared()
	if errors.Is(err, corpus.ErrNoDefault) {
		Skip(tb, "default corpus unavailable (pass -corpus or set %s): %v", Env["corpus"], err)
	}
	if err != nil {
		tb.Fatal(err)
	}
	return f
}
