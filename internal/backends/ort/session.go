package ort

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync/atomic"
	"time"

	ortgo "github.com/yalue/onnxruntime_go"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
)

// Session is a backends.Session over one ONNX Runtime session. It is not
// safe for concurrent use.
type Session struct {
	backend string
	m       *model.Model
	opts    Options
	sess    *ortgo.DynamicAdvancedSession
	cache   shapeCache
	bare    []*bound // tensors handed out by BareRunner, released by Close
	config  [][2]string
	profile string // profile file prefix, "" when profiling is off
	// kv is set when the model's own file is a decoder with a KV cache
	// (a foreign file with past_key_values inputs): Prefill runs it with
	// an empty past through kvPrefill, and decoders share sess.
	kv        *model.Decoder
	kvPrefill *decoder
	// rows is the session on the model's row-prefill graph, opened by the
	// first PrefillRows (see rows.go), with its own bound I/O sets.
	rows      *ortgo.DynamicAdvancedSession
	rowsCache shapeCache
}

var _ backends.Session = (*Session)(nil)

var profileSeq atomic.Int64

// Open creates a session for m's ONNX file with every option in o, after
// checking the file's signature (see CheckSignature). backend names the
// calling backend in errors. If the library is missing, or ORT refuses one
// of o's providers (a *ProviderError), the error wraps
// backends.ErrUnavailable with the reason. With o.ProfileDir set, ORT
// profiling is on and the profile is written there when the session closes
// (see ProfilePath).
func Open(backend string, m *model.Model, o Options) (*Session, error) {
	if err := Init(); err != nil {
		return nil, unavailableAs(backend, err)
	}
	if err := o.validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", backend, err)
	}
	ins, outs := inputNames, outputNames
	kv := (*model.Decoder)(nil)
	if err := CheckSignature(m); err != nil {
		if kv = kvFile(m, o); kv == nil {
			return nil, fmt.Errorf("%s: %w", backend, err)
		}
		ins, outs = kv.InputNames(), kv.OutputNames()
	}
	so, err := ortgo.NewSessionOptions()
	if err != nil {
		return nil, fmt.Errorf("%s: creating session options: %w", backend, err)
	}
	defer so.Destroy()
	if err := o.apply(so); err != nil {
		if r := UnavailableReason(err); r != "" {
			return nil, fmt.Errorf("%w: %w", backends.Unavailable(backend, "%s", r), err)
		}
		return nil, fmt.Errorf("%s: %w", backend, err)
	}
	s := &Session{backend: backend, m: m, opts: o, kv: kv}
	profiling := "off"
	if dir := o.ProfileDir; dir != "" {
		if s.profile, err = profilePrefix(dir, backend); err != nil {
			return nil, fmt.Errorf("%s: %w", backend, err)
		}
		if err := so.EnableProfiling(s.profile); err != nil {
			return nil, fmt.Errorf("%s: enabling profiling: %w", backend, err)
		}
		profiling = "on"
	} else if err := so.DisableProfiling(); err != nil {
		return nil, fmt.Errorf("%s: disabling profiling: %w", backend, err)
	}
	s.sess, err = ortgo.NewDynamicAdvancedSession(m.ONNXPath, ins, outs, so)
	if err != nil {
		return nil, fmt.Errorf("%s: %w %s: %w", backend, ErrModelLoad, m.ONNXPath, err)
	}
	s.config = append([][2]string{
		{"ort-version", Version()},
		{"ort-library", LibraryPath()},
	}, o.config()...)
	s.config = append(s.config, [2]string{"ort-profiling", profiling})
	if kv != nil {
		s.config = append(s.config, [2]string{"ort-kv-cache-file", "prefill runs the file's decoder with an empty past"})
	}
	return s, nil
}

func profilePrefix(dir, backend string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("profile directory: %w", err)
	}
	name := fmt.Sprintf("%s-%d-%d-%d", backend, os.Getpid(), time.Now().UnixNano(), profileSeq.Add(1))
	return filepath.Join(dir, name), nil
}

// Prefill implements backends.Session. On a shape and buffer seen recently
// it copies tokens into the bound input tensor and runs the session, which
// writes the logits straight into the caller's buffer: no allocation.
func (s *Session) Prefill(tokens []int64, batch, seq int, logits []float32) error {
	if s.sess == nil {
		return fmt.Errorf("%s: prefill: %w", s.backend, ErrClosed)
	}
	if err := s.m.CheckInput(tokens, batch, seq); err != nil {
		return err
	}
	if err := backends.CheckLogits(s.m, batch, seq, logits); err != nil {
		return err
	}
	if s.kv != nil {
		return s.prefillKV(tokens, batch, seq, logits)
	}
	b, err := s.cache.get(s.sess, batch, seq, 0, false, logits)
	if err != nil {
		return fmt.Errorf("%s: %w", s.backend, err)
	}
	if err := s.runBound(s.sess, b, tokens); err != nil {
		return fmt.Errorf("%s: model %s, batch %d × seq %d: %w", s.backend, s.m.Identity.Name, batch, seq, err)
	}
	return nil
}

// runBound copies tokens into b's input tensor, re-binds the inputs where
// the provider needs it (Options.RebindInputs) and runs sess on b's
// binding.
func (s *Session) runBound(sess *ortgo.DynamicAdvancedSession, b *bound, tokens []int64) error {
	copy(b.ids.GetData(), tokens)
	if s.opts.RebindInputs {
		if err := b.bindInputs(); err != nil {
			return err
		}
	}
	return sess.RunWithBinding(b.binding)
}

// BareRunner validates a prefill request, prepares its own input tensors
// (holding tokens) and an output tensor over logits, and returns a function
// that runs the underlying onnxruntime_go session on them with a plain
// DynamicAdvancedSession.Run: no validation, no copy, no I/O binding. It
// lets a benchmark measure what Prefill adds. The tensors live until Close;
// after Close run returns ErrClosed.
func (s *Session) BareRunner(tokens []int64, batch, seq int, logits []float32) (run func() error, err error) {
	if s.sess == nil {
		return nil, fmt.Errorf("%s: bare runner: %w", s.backend, ErrClosed)
	}
	if s.kv != nil {
		return nil, fmt.Errorf("%s: bare runner: %s is a decoder with a KV cache, not the prefill signature: %w", s.backend, s.m.ONNXPath, ErrModelSignature)
	}
	if err := s.m.CheckInput(tokens, batch, seq); err != nil {
		return nil, err
	}
	if err := backends.CheckLogits(s.m, batch, seq, logits); err != nil {
		return nil, err
	}
	ids, mask, out, err := newTensors(batch, seq, 0, logits)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.backend, err)
	}
	copy(ids.GetData(), tokens)
	s.bare = append(s.bare, &bound{ids: ids, mask: mask, out: out})
	inputs := []ortgo.Value{ids, mask}
	outputs := []ortgo.Value{out}
	return func() error {
		if s.sess == nil {
			return fmt.Errorf("%s: bare run: %w", s.backend, ErrClosed)
		}
		return s.sess.Run(inputs, outputs)
	}, nil
}

// ORT returns the onnxruntime_go session (nil after Close), for packages
// that call ORT's C API on it (package capi).
func (s *Session) ORT() *ortgo.DynamicAdvancedSession { return s.sess }

// Config implements backends.Session: the ORT version and library, every
// session option, the providers and whether profiling is on.
func (s *Session) Config() [][2]string { return slices.Clone(s.config) }

// Close implements backends.Session. It releases the bindings, tensors and
// the ORT session; ORT writes the profile, if any, at this point. Closing
// twice is a no-op.
func (s *Session) Close() error {
	if s.sess == nil {
		return nil
	}
	errs := []error{s.cache.destroyAll(), s.rowsCache.destroyAll()}
	if s.rows != nil {
		errs = append(errs, s.rows.Destroy())
		s.rows = nil
	}
	if s.kvPrefill != nil {
		errs = append(errs, s.kvPrefill.Close())
		s.kvPrefill = nil
	}
	for _, b := range s.bare {
		errs = append(errs, b.destroy())
	}
	s.bare = nil
	errs = append(errs, s.sess.Destroy())
	s.sess = nil
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("%s: closing session: %w", s.backend, err)
	}
	return nil
}
