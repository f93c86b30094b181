package benchmarks

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/benchmarks/harness"
	"github.com/inferbench/inferbench/fixtures/corpus"
	"github.com/inferbench/inferbench/fixtures/model"
	"github.com/inferbench/inferbench/fixtures/workload"
	"github.com/inferbench/inferbench/fixtures/zoo"
	"github.com/inferbench/inferbench/internal/vocab"
)

var (
	flagModel     = flag.String("model", zoo.Default, "model: "+strings.Join(zoo.Names(), ", ")+", or file:PATH (.onnx file or Hugging Face GPT-2 directory)")
	flagArch      = flag.String("arch", "", "declared architecture of a file: model (e.g. gpt2-124m); a parameter-count mismatch is an error")
	flagBackends  = flag.String("backends", "", "comma-separated backends to run (default: every registered backend)")
	flagScenarios = flag.String("scenarios", "all", "comma-separated scenarios, or all, report, long")
	flagThreads   = flag.Int("threads", 0, "intra-op threads per session (0: all cores)")
	flagCorpus    = flag.String("corpus", "", "UTF-8 text whose tokens feed the benchmarks (default: held-out part of Go's Opticks)")
	flagRefGFLOP  = flag.Float64("reference-max-gflop", 20, "skip the pure-Go reference on scenarios needing more GFLOP per op than this")
)

// fixture is what every benchmark shares, loaded once.
type fixture struct {
	model  *model.Model
	corpus *corpus.Corpus
	tokens []int64
}

var (
	fixOnce sync.Once
	fix     *fixture
	fixErr  error
)

// load resolves the model and corpus once and prints the configuration
// lines that precede every result.
func load(tb testing.TB) *fixture {
	tb.Helper()
	fixOnce.Do(func() {
		fix, fixErr = loadFixture()
		if fixErr == nil {
			printConfig(fix)
		}
	})
	if fixErr != nil {
		tb.Fatal(fixErr)
	}
	return fix
}

func loadFixture() (*fixture, error) {
	m, err := zoo.Resolve(*flagModel, zoo.Options{Architecture: *flagArch})
	if err != nil {
		return nil, err
	}
	var c *corpus.Corpus
	if *flagCorpus != "" {
		c, err = corpus.Load(*flagCorpus)
	} else {
		c, err = corpus.Heldout()
	}
	if err != nil {
		return nil, err
	}
	toks, err := c.Tokens()
	if err != nil {
		return nil, err
	}
	if m.Vocab > 0 {
		if err := vocab.Check(toks, m.Vocab); err != nil {
			return nil, fmt.Errorf("corpus %s, model %s: %w", c.Name, m.Identity.Name, err)
		}
	}
	return &fixture{model: m, corpus: c, tokens: toks}, nil
}

func printConfig(f *fixture) {
	var c harness.Config
	c = append(c, harness.Machine()...)
	c = append(c, f.model.Identity.ConfigLines()...)
	c = append(c, f.corpus.ConfigLines()...)
	c = append(c, runtimeConfig()...)
	c.Write(os.Stdout)
	for _, u := range harness.Units {
		fmt.Println(u)
	}
}

// selected returns the backends named by -backends, in registry order.
func selected(tb testing.TB) []backends.Backend {
	tb.Helper()
	if *flagBackends == "" {
		return backends.All()
	}
	var out []backends.Backend
	for _, n := range strings.Split(*flagBackends, ",") {
		b, err := backends.Lookup(strings.TrimSpace(n))
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

func scenarios(tb testing.TB) []workload.Scenario {
	tb.Helper()
	s, err := workload.Select(*flagScenarios)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

func options() backends.Options { return backends.Options{Threads: *flagThreads} }

// open opens a session or skips with the backend's reason.
func open(tb testing.TB, be backends.Backend, m *model.Model) backends.Session {
	tb.Helper()
	s, err := be.Open(m, options())
	if err != nil {
		if r := backends.Reason(err); r != "" {
			skip(tb, "%s", r)
		}
		tb.Fatalf("%s: open %s: %v", be.Name(), m.Identity.Name, err)
	}
	return s
}

// skip skips tb with a reason that every run shows: go test prints skip
// reasons only with -v, so the reason also goes to stdout as a line benchfmt
// ignores ("# skip <benchmark>: <reason>").
func skip(tb testing.TB, format string, args ...any) {
	tb.Helper()
	reason := fmt.Sprintf(format, args...)
	fmt.Printf("# skip %s: %s\n", tb.Name(), reason)
	tb.Skip(reason)
}
