package backendtest

import (
	"fmt"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
)

// Stale wraps inner as a backend named name whose outputs go stale after
// its first after calls: every later call of a session's Prefill (and of
// a decoder's Prefill or Step, counted per decoder) returns the logits of
// call number after, whatever its inputs, as a captured graph replayed
// with stale input bindings would. With after ≤ 0 it is honest: it
// forwards every call. Tests register it (backends.Register) to prove
// that the benchmarks catch, mark and refuse stale outputs, and that
// they pass an honest wrapper.
func Stale(name string, inner backends.Backend, after int) backends.Backend {
	return &staleBackend{name: name, inner: inner, after: after}
}

type staleBackend struct {
	name  string
	inner backends.Backend
	after int
}

func (b *staleBackend) Name() string               { return b.name }
func (b *staleBackend) Precision() model.Precision { return b.inner.Precision() }
func (b *staleBackend) Device() string             { return b.inner.Device() }

func (b *staleBackend) Open(m *model.Model, opts backends.Options) (backends.Session, error) {
	s, err := b.inner.Open(m, opts)
	if err != nil {
		return nil, err
	}
	return &staleSession{Session: s, after: b.after, name: b.name, vocab: m.Vocab}, nil
}

// replay counts calls and keeps call number after's logits.
type replay struct {
	after, calls int
	kept         []float32
}

// serve returns the logits a call should return: fresh (computed by
// compute into buf) up to call after, kept afterwards, tiled to buf's
// length.
func (r *replay) serve(buf []float32, compute func() ([]float32, error)) ([]float32, error) {
	r.calls++
	if r.after <= 0 || r.calls <= r.after || len(r.kept) == 0 {
		out, err := compute()
		if err == nil && r.calls == r.after {
			r.kept = append(r.kept[:0], out...)
		}
		return out, err
	}
	for i := range buf {
		buf[i] = r.kept[i%len(r.kept)]
	}
	return buf, nil
}

type staleSession struct {
	backends.Session
	name         string
	after, vocab int
	r            replay
}

func (s *staleSession) Prefill(tokens []int64, batch, seq int, logits []float32) error {
	s.r.after = s.after
	_, err := s.r.serve(logits, func() ([]float32, error) {
		return logits, s.Session.Prefill(tokens, batch, seq, logits)
	})
	return err
}

func (s *staleSession) Config() [][2]string {
	return append(s.Session.Config(), [2]string{s.name + "-stale-after", fmt.Sprint(s.after)})
}

// NewDecoder wraps the inner session's decoder, if it has one.
func (s *staleSession) NewDecoder(batch, maxLen int) (backends.Decoder, error) {
	d, err := backends.NewDecoder(s.name, s.Session, batch, maxLen)
	if err != nil {
		return nil, err
	}
	return &staleDecoder{Decoder: d, r: replay{after: s.after}, vocab: s.vocab}, nil
}

type staleDecoder struct {
	backends.Decoder
	r     replay
	vocab int
	buf   []float32
}

func (d *staleDecoder) Prefill(tokens []int64, seq int) ([]float32, error) {
	return d.r.serve(d.grow(len(tokens)), func() ([]float32, error) { return d.Decoder.Prefill(tokens, seq) })
}

func (d *staleDecoder) Step(tokens []int64) ([]float32, error) {
	return d.r.serve(d.grow(len(tokens)), func() ([]float32, error) { return d.Decoder.Step(tokens) })
}

// grow returns the decoder's buffer for rows rows of logits.
func (d *staleDecoder) grow(rows int) []float32 {
	if n := rows * d.vocab; cap(d.buf) < n {
		d.buf = make([]float32, n)
	}
	return d.buf[:rows*d.vocab]
}
