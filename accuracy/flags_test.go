package accuracy

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/accuracy/eval"
	"github.com/inferbench/inferbench/internal/backends/suite"
	"github.com/inferbench/inferbench/internal/lm/corpus"
)

// The run settings' flags (-model -arch -corpus -threads -backends and
// their INFERBENCH_* variables) are package suite's, registered by TestMain
// (main_test.go); -backends names the candidates here. These are the
// gates' own.
var (
	flagWindow         = flag.Int("window", 0, "sliding-window length in tokens (0: the model's n_positions), capped at n_positions; the stride is half of it. Needed for an ONNX file whose n_positions is unknown")
	flagBatch          = flag.Int("batch", eval.DefaultBatch, "equal-length windows per forward pass")
	flagBaseline       = flag.String("baseline", "", "baseline backend (default: "+Reference+" when parameters × tokens fit its budget, else "+FallbackBaseline+", checked by "+Reference+" on the first windows)")
	flagAllowUntrained = flag.Bool("allow-untrained", false, "skip, instead of failing, the gates of an untrained or seeded model")
	flagOut            = flag.String("accuracy-out", "", "JSON results file (default: none; with -artifacts, accuracy.json in this run's artifact directory)")
	flagMaxTokens      = flag.Int("max-tokens", 0, "evaluate at most this many corpus tokens (0: all)")
	flagStrict         = flag.Bool("strict", false, "fail, instead of skipping, a gate in which no candidate ran against the baseline")
)

// inputs are the model, corpus and tokens every gate shares.
type inputs struct {
	model  *model.Model
	corpus *corpus.Corpus
	tokens []int64
}

// sharedInputs loads the suite's model, corpus and tokens once, keeping at
// most -max-tokens tokens.
func sharedInputs() (*inputs, error) {
	f, err := suite.Flags.Shared()
	if err != nil {
		return nil, err
	}
	toks := f.Tokens
	if *flagMaxTokens > 0 && len(toks) > *flagMaxTokens {
		toks = toks[:*flagMaxTokens]
	}
	return &inputs{model: f.Model, corpus: f.Corpus, tokens: toks}, nil
}

// gateRun is the shared evaluation behind TestPerplexityGate and
// TestModelIsTrained.
type gateRun struct {
	in *inputs
	GateRun
	err error
}

var (
	gateOnce sync.Once
	gate     gateRun
)

// runGates evaluates once per test binary. It fails the test on broken
// inputs (identity mismatch, missing corpus), refuses seeded models, and
// skips when the baseline cannot run here.
func runGates(t *testing.T) *gateRun {
	t.Helper()
	gateOnce.Do(func() {
		gate.in, gate.err = sharedInputs()
		if gate.err != nil {
			return
		}
		gate.GateRun, gate.err = RunGates(gate.in.model, gate.in.corpus, gate.in.tokens, Gates{
			Config:     Config{Window: *flagWindow, Batch: *flagBatch, Options: suite.Flags.Options(), Progress: os.Stderr},
			Baseline:   *flagBaseline,
			Candidates: suite.Flags.BackendNames(),
		})
	})
	g := &gate
	switch {
	case errors.Is(g.err, ErrSeeded):
		Refuse(t, *flagAllowUntrained, g.err.Error())
	case errors.Is(g.err, backends.ErrUnavailable):
		t.Skipf("skipping: baseline unavailable: %v", g.err)
	case g.err != nil:
		t.Fatal(g.err)
	}
	return g
}

// outPath is where the JSON report goes: -accuracy-out, else this run's
// artifact directory under -artifacts, else nowhere ("") — never a shared
// path that concurrent runs would overwrite.
func outPath(t *testing.T) string {
	if *flagOut != "" {
		return *flagOut
	}
	if f := flag.Lookup("test.artifacts"); f != nil && f.Value.String() == "true" {
		return filepath.Join(t.ArtifactDir(), "accuracy.json")
	}
	return ""
}
