package variant

import (
	"fmt"
	"os"
	"strings"
	"sync"

	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/atomicfile"
	"github.com/inferbench/inferbench/internal/backends/ort"
)

// ProbeSeq is the sequence length of the probe's prefill (capped at the
// model's n_positions).
const ProbeSeq = 8

type probeKey struct {
	path, sha, weights string // the graph file and its weights (external data included)
	level              int
	providers          string // the providers and their options: a CUDA probe is not a CPU one
}

func providersKey(o ort.Options) string {
	var b strings.Builder
	for _, p := range o.Providers {
		b.WriteString(p.Name)
		for _, c := range p.Config {
			b.WriteString(";" + c[0] + "=" + c[1])
		}
		b.WriteString("|")
	}
	for _, e := range o.Entries {
		b.WriteString(e[0] + "=" + e[1] + ";")
	}
	return b.String()
}

// probePrefix starts the names of the probes' profile directories.
const probePrefix = "inferbench-probe-"

var cleanProbes sync.Once

var (
	probeMu sync.Mutex
	probes  = map[probeKey]*Profile{}
)

// Probe opens a profiling session for m with the session options o, runs
// one prefill of a single sequence of ProbeSeq tokens, closes it and
// returns the kernels that ran. ONNX Runtime picks kernels when it
// optimises the graph, so they depend on the file and the optimisation
// level, the providers and session entries (and the machine), not on the
// input or thread count: results are remembered for the process per file
// version, level, providers and entries. backend names the
// caller in errors.
func Probe(backend string, m *model.Model, o ort.Options) (*Profile, error) {
	key := probeKey{m.ONNXPath, m.Identity.ONNXSHA256, m.Identity.WeightsSHA256, int(o.GraphOptimization), providersKey(o)}
	probeMu.Lock()
	defer probeMu.Unlock()
	if p, ok := probes[key]; ok {
		return p, nil
	}
	p, err := probe(backend, m, o)
	if err != nil {
		return nil, err
	}
	probes[key] = p
	return p, nil
}

func probe(backend string, m *model.Model, o ort.Options) (*Profile, error) {
	cleanProbes.Do(func() {
		// Probe directories of killed runs: their writer's PID is gone.
		atomicfile.CleanStale(os.TempDir(), probePrefix, atomicfile.StaleAge)
	})
	dir, err := os.MkdirTemp("", atomicfile.TempPattern(probePrefix))
	if err != nil {
		return nil, fmt.Errorf("%s: probe: %w", backend, err)
	}
	defer os.RemoveAll(dir)
	po := o
	po.ProfileDir = dir
	s, err := ort.Open(backend, m, po)
	if err != nil {
		return nil, fmt.Errorf("probe: %w", err)
	}
	seq := ProbeSeq
	if m.Positions > 0 {
		seq = min(seq, m.Positions)
	}
	tokens := make([]int64, seq)
	for i := range tokens {
		tokens[i] = int64(i % max(m.Vocab, 1))
	}
	runErr := s.Prefill(tokens, 1, seq, make([]float32, m.LogitsLen(1, seq)))
	if err := s.Close(); err != nil {
		return nil, fmt.Errorf("probe: %w", err)
	}
	if runErr != nil {
		return nil, fmt.Errorf("probe: %w", runErr)
	}
	path, err := s.ProfilePath()
	if err != nil {
		return nil, fmt.Errorf("probe: %w", err)
	}
	return Parse(path)
}
