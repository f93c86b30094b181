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
// unavailable with the reason; so does ORT refusing CUDA graphs for the
// graph backend.
func (b Backend) Open(m *model.Model, opts backends.Options) (backends.Session, error) {
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
			return nil, b.captureRefused(m, opts, err)
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

// captureRefused is the graph backend's error when ORT refuses CUDA
// graphs for m (GraphCaptureRefused): unavailable, with the nodes ORT
// placed outside the CUDA provider, which a profiled run of m on the CUDA
// provider without graphs lists (CaptureBlockers), or else ORT's words.
// A benchmark then skips the graph backend on that model with the reason
// instead of failing.
func (b Backend) captureRefused(m *model.Model, opts backends.Options, err error) error {
	why := firstLine(err.Error())
	p, perr := variant.Probe(b.name, m, Options(opts, false, false))
	switch {
	case perr != nil:
		why += " (listing the nodes placed outside " + ProviderName + " failed: " + firstLine(perr.Error()) + ")"
	case CaptureBlockers(p, ProviderName) != "":
		why = CaptureBlockers(p, ProviderName) + "; ORT: " + why
	}
	return fmt.Errorf("%w: %w", backends.Unavailable(b.name, "ORT cannot capture model %s in CUDA graphs: %s", m.Identity.Name, why), err)
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
