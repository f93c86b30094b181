//go:build cuda

package cuda

import (
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/backends/ort"
	"github.com/inferbench/inferbench/internal/backends/ort/capi"
	"github.com/inferbench/inferbench/internal/backends/ort/cpu"
	"github.com/inferbench/inferbench/internal/backends/ort/variant"
)

// Built reports whether the package was built with -tags cuda.
const Built = true

// EntryNoCPUFallback is the session entry that makes ORT refuse to run
// any node on the CPU provider.
const EntryNoCPUFallback = "session.disable_cpu_ep_fallback"

// Options returns the session options a CUDA backend uses for opts:
// ort-cpu's (ORT's CPU provider takes the shape nodes), with the intra-op
// threads not spinning (they only run those nodes), CPU fallback disabled
// when noFallback is set, and the CUDA provider with ProviderOptions.
// RebindInputs is on for sessions fed from host tensors (the probe);
// Backend.Open's sessions bind device buffers once for prefill instead,
// and their decoders bind a device-resident KV cache (Session.NewDecoder).
// Sessions generate, except with CUDA graphs: a
// captured graph replays one shape at fixed addresses, and a decoder's
// cache grows every step, so graph sessions do not generate
// (backends.NoGeneration).
func Options(opts backends.Options, graph, noFallback bool) ort.Options {
	o := cpu.Options(opts)
	o.Entries = [][2]string{{"session.intra_op.allow_spinning", "0"}}
	if noFallback {
		o.Entries = append(o.Entries, [2]string{EntryNoCPUFallback, "1"})
	}
	o.Providers = []ort.Provider{Provider(ProviderOptions(DeviceID, graph))}
	o.RebindInputs = true
	if graph {
		o.Decoder = nil
	}
	return o
}

// Open implements backends.Backend. It resolves b's precision variant of
// m, probes it in a profiled run (placement and, for fp16 and int8, the
// kernels' types: Judge), first with CPU fallback disabled and, if ORT
// refuses that because nodes need the CPU provider, with it allowed
// (recorded), then opens the session with device-bound inputs and
// outputs (see Session). A library without the CUDA provider, a missing
// NVIDIA library or a machine without a usable GPU makes the backend
// unavailable with the reason. The graph backend first applies its one
// rule (GraphRule): a model with any node placed off the CUDA provider,
// or that ORT refuses to capture, makes it unavailable.
func (b Backend) Open(m *model.Model, opts backends.Options) (backends.Session, error) {
	if b.graph {
		if err := b.GraphRule(m, opts); err != nil {
			return nil, err
		}
	}
	key := fallbackKey{b.name, m.ONNXPath, m.Identity.ONNXSHA256}
	fallbackMu.Lock()
	fallback, known := fallbacks[key]
	fallbackMu.Unlock()
	var (
		vs  *variant.Session
		err error
	)
	if !known || fallback == "disabled" {
		fallback = "disabled"
		// ORT logs its refusal as an error; it is expected, and recorded
		// below as the session's own configuration line instead.
		var msgs []capi.Message
		msgs, err = capi.Quiet(func() error {
			var err error
			vs, err = b.open(m, Options(opts, b.graph, true))
			return err
		})
		if err != nil && strings.Contains(err.Error(), "fallback") && strings.Contains(err.Error(), "CPU") {
			fallback = "allowed: " + firstLine(err.Error())
			vs = nil
		} else {
			ort.Log(msgs...)
		}
	}
	if vs == nil && strings.HasPrefix(fallback, "allowed") {
		vs, err = b.open(m, Options(opts, b.graph, false))
	}
	if err != nil {
		if b.graph && UnavailableReason(err) == "" && GraphCaptureRefused(err) {
			return nil, b.captureRefused(m, err)
		}
		return nil, b.unavailable(err)
	}
	s, err := newSession(b.name, vs, DeviceID, b.graph)
	if err != nil {
		vs.Close()
		return nil, b.unavailable(err)
	}
	fallbackMu.Lock()
	fallbacks[key] = fallback
	fallbackMu.Unlock()
	s.config = append(s.config, [2]string{"ort-cuda-cpu-ep-fallback", fallback})
	return s, nil
}

// open resolves, probes, judges and opens b's model: the precision variant
// of m, fused for the fused backends (variant.OpenFused, whose judge also
// requires every fused node to run as its contrib kernel).
func (b Backend) open(m *model.Model, o ort.Options) (*variant.Session, error) {
	if b.fused {
		return variant.OpenFused(b.name, b.precision, m, o, Judge(b.precision))
	}
	return variant.Open(b.name, b.precision, m, o, Judge(b.precision))
}

// fallbackKey is one backend on one model file; fallbacks remembers, per
// process, whether ORT refused to disable CPU fallback for it, so that
// later Opens (session-creation benchmarks) do not repeat the refused
// attempt.
type fallbackKey struct{ backend, path, sha string }

var (
	fallbackMu sync.Mutex
	fallbacks  = map[fallbackKey]string{}
)

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

// GraphRule is the one rule that decides whether the graph backend b may
// run m, applied by Open before it enables CUDA graphs (and so by every
// path that opens it: tests, the accuracy pass, the benchmarks' isolation
// probe). It runs the model b opens for m (its precision variant, fused
// for the fused backends: variant.Model) once, profiled, on the CUDA
// provider without graphs and CPU fallback allowed (variant.Probe,
// remembered per process), and refuses (an error wrapping backends.ErrUnavailable) if ORT placed any
// node off the CUDA provider, naming those nodes (CaptureBlockers). ORT
// itself accepts some such models: a CPU node's output copied host to
// device inside a captured graph is replayed from a host address ORT may
// reuse, so the replay's correctness could not be vouched for. Small
// shape computations, which Placement forgives other CUDA sessions, are
// not forgiven here.
func (b Backend) GraphRule(m *model.Model, opts backends.Options) error {
	o := Options(opts, false, false)
	o.Decoder = nil // the probe prefills only
	v, err := variant.Model(b.name, b.precision, m, o.IntraOpThreads, b.fused)
	if err != nil {
		return err
	}
	p, err := variant.Probe(b.name, v, o)
	if err != nil {
		return b.unavailable(err)
	}
	if why := CaptureBlockers(p, ProviderName); why != "" {
		return backends.Unavailable(b.name, "%s: %s (profiled run without graphs)", graphRefusal(m), why)
	}
	return nil
}

// graphRefusal begins every reason the graph backend gives for not
// running m.
func graphRefusal(m *model.Model) string {
	return "ORT cannot capture model " + m.Identity.Name + " in CUDA graphs"
}

// captureRefused is the graph backend's error when ORT refuses CUDA
// graphs for m (GraphCaptureRefused) although GraphRule found every node
// on the CUDA provider (control flow, for one): unavailable, quoting
// ORT, so a benchmark skips the graph backend on that model with the
// reason instead of failing.
func (b Backend) captureRefused(m *model.Model, err error) error {
	return fmt.Errorf("%w: %w", backends.Unavailable(b.name, "%s: ORT: %s", graphRefusal(m), firstLine(err.Error())), err)
}

// unavailable turns a missing provider or library, or ORT refusing CUDA
// graphs, into backends.Unavailable; other errors pass through.
func (b Backend) unavailable(err error) error {
	if r := UnavailableReason(err); r != "" {
		return backends.Unavailable(b.name, "%s", r)
	}
	if b.graph && GraphCaptureRefused(err) {
		return backends.Unavailable(b.name, "ORT refuses CUDA graphs for this model: %s", firstLine(err.Error()))
	}
	var de *deviceError
	if errors.As(err, &de) {
		return backends.Unavailable(b.name, "%v", de.err)
	}
	return fmt.Errorf("%w", err)
}
