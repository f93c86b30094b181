package backendtest

import (
	"testing"

	"github.com/inferbench/inferbench/fixtures/corpus"
	"github.com/inferbench/inferbench/fixtures/model"
	"github.com/inferbench/inferbench/fixtures/zoo"
)

// DefaultFixture resolves the zoo's default model and the tokens conformance
// inputs are cut from: those of corpusPath, or, when it is "", of the
// held-out part of Go's Opticks, skipping tb with the reason where that is
// not installed (say, on a GPU machine without Go).
func DefaultFixture(tb testing.TB, corpusPath string) (*model.Model, []int64) {
	tb.Helper()
	m, err := zoo.Resolve(zoo.Default, zoo.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	var c *corpus.Corpus
	if corpusPath != "" {
		c, err = corpus.Load(corpusPath)
	} else if c, err = corpus.Heldout(); err != nil {
		tb.Skipf("default corpus unavailable (pass -corpus or set INFERBENCH_CORPUS): %v", err)
	}
	if err != nil {
		tb.Fatal(err)
	}
	toks, err := c.Tokens()
	if err != nil {
		tb.Fatal(err)
	}
	tb.Logf("model: %v; corpus %s (%d bytes, sha256 %s)", m.Identity, c.Name, c.Bytes, c.SHA256)
	return m, toks
}
