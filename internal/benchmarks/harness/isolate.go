package harness

import (
	"os"
	"strings"
	"testing"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/internal/backends/isolate"
	"github.com/inferbench/inferbench/internal/backends/suite"
	"github.com/inferbench/inferbench/internal/lm/zoo"
)

// Main is a TestMain for benchmark binaries whose plans isolate backends
// (Plan.Isolate): it lets the binary serve as its own isolation probe
// (package isolate) — a child process started for a probe runs
// ProbeBackend and exits without running any benchmark — and otherwise
// runs the tests and benchmarks.
func Main(m *testing.M) {
	isolate.SetProbe(ProbeBackend)
	isolate.Child()
	os.Exit(m.Run())
}

// ProbeTokens are the token ids of the isolation probe's prefill.
var ProbeTokens = []int64{464, 2068, 7586, 21831, 18045, 625, 262, 16931}

// ProbeBackend opens the backend named name on the embedded default model
// (zoo.Default) with one thread, runs one 1 × len(ProbeTokens) prefill and
// closes the session: enough to load the backend's native libraries,
// create a session on its device and run it.
func ProbeBackend(name string) error {
	be, err := backends.Lookup(name)
	if err != nil {
		return err
	}
	m, err := zoo.Resolve(zoo.Default, zoo.Options{})
	if err != nil {
		return err
	}
	s, err := be.Open(m, backends.Options{Threads: 1})
	if err != nil {
		return err
	}
	seq := len(ProbeTokens)
	if err := s.Prefill(ProbeTokens, 1, seq, make([]float32, m.LogitsLen(1, seq))); err != nil {
		s.Close()
		return err
	}
	return s.Close()
}

// Isolated reports whether be is probed in a child process before use
// when a plan isolates backends: ONNX Runtime backends on an accelerator,
// whose providers load native GPU libraries that can crash or hang the
// process. (Worker backends such as torch-* already run out of process.)
func Isolated(be backends.Backend) bool {
	return strings.HasPrefix(be.Name(), "ort-") && be.Device() != "cpu"
}

// openIsolated opens be on the plan's model, first probing it in a child
// process when the plan isolates backends and be is Isolated; a backend
// that is unavailable, or whose probe crashed, hung or failed, skips tb
// with the reason.
func (p Plan) openIsolated(tb testing.TB, be backends.Backend) backends.Session {
	tb.Helper()
	if p.Isolate > 0 && Isolated(be) {
		if err := isolate.Check(be.Name(), p.Isolate); err != nil {
			suite.Skip(tb, "%s", backends.Reason(err))
		}
	}
	return suite.Open(tb, be, p.Fixture.Model, p.Options)
}
