package accuracy

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/inferbench/inferbench/accuracy/eval"
	"github.com/inferbench/inferbench/backends"
	_ "github.com/inferbench/inferbench/backends/ort/cpu"
	_ "github.com/inferbench/inferbench/backends/ort/cuda"
	_ "github.com/inferbench/inferbench/backends/ort/fp16"
	_ "github.com/inferbench/inferbench/backends/ort/quant"
	_ "github.com/inferbench/inferbench/backends/ort/tensorrt"
	_ "github.com/inferbench/inferbench/backends/ort/webgpu"
	_ "github.com/inferbench/inferbench/backends/reference"
	_ "github.com/inferbench/inferbench/backends/torch"
	"github.com/inferbench/inferbench/fixtures/corpus"
	"github.com/inferbench/inferbench/fixtures/model"
	"github.com/inferbench/inferbench/fixtures/zoo"
)

var (
	flagModel          = flag.String("model", zoo.Default, "model: "+strings.Join(zoo.Names(), ", ")+", or file:PATH (.onnx file or Hugging Face GPT-2 directory)")
	flagArch           = flag.String("arch", "", "declared architecture of a file: model (e.g. gpt2-124m); a parameter-count mismatch fails")
	flagCorpus         = flag.String("corpus", "", "UTF-8 text to evaluate (default: the held-out part of Go's Opticks, which gpt2-tiny never saw)")
	flagWindow         = flag.Int("window", 1024, "sliding-window length in tokens, capped at the model's n_positions; the stride is half of it")
	flagBatch          = flag.Int("batch", eval.DefaultBatch, "equal-length windows per forward pass")
	flagBaseline       = flag.String("baseline", "", "baseline backend (default: "+Reference+" when parameters × tokens fit its budget, else "+FallbackBaseline+", checked by "+Reference+" on the first windows)")
	flagBackends       = flag.String("backends", "", "comma-separated candidate backends (default: every registered backend other than the baseline; "+Reference+" always checks another baseline)")
	flagAllowUntrained = flag.Bool("allow-untrained", false, "skip, instead of failing, the gates of an untrained or seeded model")
	flagOut            = flag.String("accuracy-out", "", "JSON results file (default: accuracy.json in the test's artifact directory with -artifacts, else $TMPDIR/inferbench-accuracy.json)")
	flagMaxTokens      = flag.Int("max-tokens", 0, "evaluate at most this many corpus tokens (0: all)")
	flagThreads        = flag.Int("threads", 0, "intra-op threads per session (0: all cores)")
)

// inputs are the model, corpus and tokens every gate shares.
type inputs struct {
	model  *model.Model
	corpus *corpus.Corpus
	tokens []int64
}

// loadInputs resolves the model and tokenizes the corpus ("": the default
// held-out text), keeping at most maxTokens tokens (0: all).
func loadInputs(modelName, arch, corpusPath string, maxTokens int) (*inputs, error) {
	var (
		c   *corpus.Corpus
		err error
	)
	if corpusPath != "" {
		c, err = corpus.Load(corpusPath)
	} else {
		c, err = corpus.Heldout()
	}
	if err != nil {
		return nil, fmt.Errorf("-corpus: %w", err)
	}
	toks, err := c.Tokens()
	if err != nil {
		return nil, fmt.Errorf("-corpus: %w", err)
	}
	if maxTokens > 0 && len(toks) > maxTokens {
		toks = toks[:maxTokens]
	}
	m, err := zoo.Resolve(modelName, zoo.Options{Architecture: arch})
	if err != nil {
		return nil, fmt.Errorf("-model %s: %w", modelName, err)
	}
	return &inputs{model: m, corpus: c, tokens: toks}, nil
}

// gateRun is the shared evaluation behind TestPerplexityGate and
// TestModelIsTrained.
type gateRun struct {
	in     *inputs
	report *Report
	notes  []string
	err    error
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
	gateOnce.Do(func() { gate = evaluateGates() })
	g := &gate
	switch {
	case errors.Is(g.err, ErrSeeded):
		refuse(t, *flagAllowUntrained, g.err.Error())
	case errors.Is(g.err, backends.ErrUnavailable):
		t.Skipf("skipping: baseline unavailable: %v", g.err)
	case g.err != nil:
		t.Fatal(g.err)
	}
	return g
}

var (
	inputsOnce sync.Once
	shared     *inputs
	sharedErr  error
)

// sharedInputs loads the flags' model, corpus and tokens once.
func sharedInputs() (*inputs, error) {
	inputsOnce.Do(func() { shared, sharedErr = loadInputs(*flagModel, *flagArch, *flagCorpus, *flagMaxTokens) })
	return shared, sharedErr
}

func evaluateGates() gateRun {
	in, err := sharedInputs()
	if err != nil {
		return gateRun{err: err}
	}
	g := gateRun{in: in}
	m, toks := in.model, in.tokens
	if err := CheckIdentity(m.Identity); err != nil {
		g.err = err
		return g
	}
	cfg := Config{Window: *flagWindow, Batch: *flagBatch, Options: backends.Options{Threads: *flagThreads}, Progress: os.Stderr}
	name := *flagBaseline
	if name == "" {
		name = ChooseBaseline(m, len(toks), cfg.ReferenceBudget)
	}
	base, cands, err := selectBackends(name)
	if err != nil {
		g.err = err
		return g
	}
	g.report, g.err = Evaluate(m, in.corpus, toks, base, cands, cfg)
	if errors.Is(g.err, backends.ErrUnavailable) && *flagBaseline == "" && name != Reference && m.Source != nil {
		// Without the default baseline the reference takes over, over the
		// prefix its budget allows.
		window, _ := eval.WindowFor(m, cfg.Window)
		n := ReferenceTokens(m, len(toks), window, cfg.ReferenceBudget)
		g.notes = append(g.notes, fmt.Sprintf("baseline %s unavailable (%s): %s is the baseline, over the first %d of %d tokens (its budget)",
			name, backends.Reason(g.err), Reference, n, len(toks)))
		if base, cands, err = selectBackends(Reference); err != nil {
			g.err = err
			return g
		}
		g.report, g.err = Evaluate(m, in.corpus, toks[:n], base, cands, cfg)
	}
	return g
}

// selectBackends returns the baseline and the candidates -backends names
// (default: every registered backend but the baseline). The reference is
// always a candidate when it is not the baseline: it checks the baseline.
func selectBackends(baseline string) (backends.Backend, []backends.Backend, error) {
	base, err := backends.Lookup(baseline)
	if err != nil {
		return nil, nil, fmt.Errorf("-baseline: %w", err)
	}
	names := backends.Names()
	if *flagBackends != "" {
		names = append(strings.Split(*flagBackends, ","), Reference)
	}
	var cands []backends.Backend
	seen := map[string]bool{baseline: true}
	for _, n := range names {
		n = strings.TrimSpace(n)
		if seen[n] {
			continue
		}
		seen[n] = true
		b, err := backends.Lookup(n)
		if err != nil {
			return nil, nil, fmt.Errorf("-backends: %w", err)
		}
		cands = append(cands, b)
	}
	return base, cands, nil
}

// refuser is the part of testing.TB that refuse needs.
type refuser interface {
	Helper()
	Skipf(format string, args ...any)
	Fatalf(format string, args ...any)
}

// refuse ends a gate that cannot judge the model: a failure, or a skip
// (never a pass) under -allow-untrained.
func refuse(t refuser, allowUntrained bool, why string) {
	t.Helper()
	if allowUntrained {
		t.Skipf("INVALID, skipped (-allow-untrained), not passed: %s", why)
		return
	}
	t.Fatalf("INVALID: %s (pass -allow-untrained to skip these gates instead)", why)
}

// outPath is where the JSON report goes.
func outPath(t *testing.T) string {
	if *flagOut != "" {
		return *flagOut
	}
	if f := flag.Lookup("test.artifacts"); f != nil && f.Value.String() == "true" {
		return filepath.Join(t.ArtifactDir(), "accuracy.json")
	}
	return filepath.Join(os.TempDir(), "inferbench-accuracy.json")
}
