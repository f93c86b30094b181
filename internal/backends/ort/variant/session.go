package variant

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strconv"
	"sync"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/backends/ort"
	"github.com/inferbench/inferbench/internal/lm/gpt2/calib"
	"github.com/inferbench/inferbench/internal/lm/zoo"
)

// Judge inspects the kernels a variant's probe ran and returns the
// configuration lines that describe them and why the session does not run
// as its backend claims ("" if it does).
type Judge func(p *Profile, v *model.Model) (config [][2]string, degraded string)

// Session is an ORT session on a model variant. It embeds *ort.Session
// (Prefill, Close, ProfilePath, BareRunner) and adds the variant's
// identity and probe to Config, and implements backends.Degrader.
type Session struct {
	*ort.Session
	// Model is the variant the session runs.
	Model *model.Model
	// Profile is what the probe saw run.
	Profile  *Profile
	config   [][2]string
	degraded string
}

var (
	_ backends.Session  = (*Session)(nil)
	_ backends.Degrader = (*Session)(nil)
)

// Resolve returns the model a backend of precision p runs for m: m itself
// if it already has precision p, else its zoo variant (zoo.Variant with
// the default options, built and cached on first use; an int8 variant is
// calibrated in ONNX Runtime with threads intra-op threads,
// ort.Calibrator). A model with no Go
// weights (a foreign ONNX file) cannot be re-precisioned: the error wraps
// both backends.ErrUnavailable, so suites skip the backend with the reason,
// and zoo.ErrNoWeights.
//
// Resolved variants are remembered for the process (per base file, name and
// precision, while the variant file exists), so reopening a session, as
// session-creation benchmarks do, does not resolve the calibration corpus
// again.
func Resolve(backend string, p model.Precision, m *model.Model, threads int) (*model.Model, error) {
	if m.Identity.Precision == p {
		return m, nil
	}
	key := resolvedKey{m.ONNXPath, m.Identity.ONNXSHA256, m.Identity.WeightsSHA256, m.Identity.Name, p}
	resolvedMu.Lock()
	defer resolvedMu.Unlock()
	if v, ok := resolved[key]; ok {
		if _, err := os.Stat(v.ONNXPath); err == nil {
			return v, nil
		}
	}
	v, err := zoo.Variant(m, p, zoo.VariantOptions{Calibration: calib.Options{Run: ort.Calibrator(threads)}})
	if errors.Is(err, zoo.ErrNoWeights) {
		return nil, fmt.Errorf("%w: %w", backends.Unavailable(backend, "model %s is a %s ONNX file without Go weights to build a %s variant from", m.Identity.Name, m.Identity.Precision, p), err)
	}
	if err != nil {
		if r := backends.Reason(err); r != "" {
			return nil, fmt.Errorf("%w: %w", backends.Unavailable(backend, "%s", r), err)
		}
		return nil, fmt.Errorf("%s: %w", backend, err)
	}
	resolved[key] = v
	return v, nil
}

type resolvedKey struct {
	path, sha, weights, name string
	p                        model.Precision
}

var (
	resolvedMu sync.Mutex
	resolved   = map[resolvedKey]*model.Model{}
)

// Open resolves m's precision-p variant (calibrating, if it must, with o's
// intra-op threads), probes which kernels it runs with
// the session options o (see Probe), lets judge describe them, and opens
// the session with o.
func Open(backend string, p model.Precision, m *model.Model, o ort.Options, judge Judge) (*Session, error) {
	return open(backend, p, m, o, judge, false)
}

// OpenFused is Open on the fused graph (zoo.Fused: ONNX Runtime's contrib
// operators) of m's precision-p variant. Its configuration adds
// JudgeFused's lines to judge's, and the session is degraded if either
// judge says so.
func OpenFused(backend string, p model.Precision, m *model.Model, o ort.Options, judge Judge) (*Session, error) {
	return open(backend, p, m, o, judge, true)
}

// Model is the file Open (fused false) or OpenFused (fused true) runs for
// m at precision p: Resolve's variant, fused (zoo.Fused) if asked,
// calibrating an int8 variant with threads intra-op threads.
func Model(backend string, p model.Precision, m *model.Model, threads int, fused bool) (*model.Model, error) {
	v, err := Resolve(backend, p, m, threads)
	if err != nil || !fused {
		return v, err
	}
	return fuse(backend, v)
}

func open(backend string, p model.Precision, m *model.Model, o ort.Options, judge Judge, fused bool) (*Session, error) {
	v, err := Model(backend, p, m, o.IntraOpThreads, fused)
	if err != nil {
		return nil, err
	}
	prof, err := Probe(backend, v, o)
	if err != nil {
		return nil, err
	}
	lines, degraded := judge(prof, v)
	if fused {
		fl, fd := JudgeFused(prof, v)
		lines = append(lines, fl...)
		if degraded != "" && fd != "" {
			degraded += "; "
		}
		degraded += fd
	}
	s, err := ort.Open(backend, v, o)
	if err != nil {
		return nil, err
	}
	vs := &Session{Session: s, Model: v, Profile: prof, degraded: degraded}
	vs.config = append(variantLines(m, v), [2]string{"ort-probe-kernels", FormatCounts(prof.Ops())})
	vs.config = append(vs.config, lines...)
	return vs, nil
}

// variantLines describe the variant v of base m: its precision, file, size
// and the identity entries the base does not have, all under "variant-"
// (the base's identity lines are the benchmark's "model-*" lines), plus
// model-onnx-bytes, the size of the file this backend loads.
func variantLines(m, v *model.Model) [][2]string {
	lines := [][2]string{
		{"variant-precision", string(v.Identity.Precision)},
		{"variant-onnx-sha256", v.Identity.ONNXSHA256},
		{"model-onnx-bytes", fileSize(v.ONNXPath)},
	}
	if v != m {
		lines = append(lines, [2]string{"variant-base-onnx-bytes", fileSize(m.ONNXPath)})
	}
	for _, k := range slices.Sorted(maps.Keys(v.Identity.Extra)) {
		if bv, ok := m.Identity.Extra[k]; v != m && ok && bv == v.Identity.Extra[k] {
			continue
		}
		lines = append(lines, [2]string{"variant-" + k, v.Identity.Extra[k]})
	}
	return lines
}

func fileSize(path string) string {
	st, err := os.Stat(path)
	if err != nil {
		return "unknown"
	}
	return strconv.FormatInt(st.Size(), 10)
}

// Config implements backends.Session: the ORT session's configuration,
// then the variant's identity and what the probe saw run.
func (s *Session) Config() [][2]string {
	return append(s.Session.Config(), s.config...)
}

// Degraded implements backends.Degrader.
func (s *Session) Degraded() string { return s.degraded }
