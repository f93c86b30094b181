package torch

import (
	"fmt"

	"github.com/inferbench/inferbench/backends"
)

// decoder is the worker's KV cache for one batch: transformers'
// DynamicCache under torch-eager, a StaticCache of maxLen positions whose
// decode step is compiled and replayed through CUDA graphs under
// torch-compile. Each call is a round trip; the logits come back through
// the session's transport into buffers the decoder owns.
type decoder struct {
	s             *session
	batch, maxLen int
	n             int
	pre, step     []float32
	closed        bool
}

// NewDecoder implements backends.Generator. The worker holds one cache at
// a time: a new decoder replaces the session's previous one.
func (s *session) NewDecoder(batch, maxLen int) (backends.Decoder, error) {
	if batch < 1 || maxLen < 1 {
		return nil, fmt.Errorf("%s: decoder for batch %d × %d positions", s.name, batch, maxLen)
	}
	if s.m.Positions > 0 && maxLen > s.m.Positions {
		maxLen = s.m.Positions
	}
	if s.dec != nil {
		s.dec.Close()
	}
	d := &decoder{s: s, batch: batch, maxLen: maxLen, step: make([]float32, batch*s.m.Vocab)}
	s.dec = d
	return d, nil
}

// Prefill implements backends.Decoder.
func (d *decoder) Prefill(tokens []int64, seq int) ([]float32, error) {
	if d.closed {
		return nil, fmt.Errorf("%s: decoder closed", d.s.name)
	}
	d.n = 0
	if err := backends.CheckDecode(d.s.m, tokens, d.batch, seq, 0, d.maxLen); err != nil {
		return nil, err
	}
	n := d.s.m.LogitsLen(d.batch, seq)
	if cap(d.pre) < n {
		d.pre = make([]float32, n)
	}
	d.pre = d.pre[:n]
	if err := d.s.w.ensure(n); err != nil {
		return nil, err
	}
	if _, err := d.s.w.call(opDecPrefill, d.batch, seq, uint32(d.maxLen), tokens, nil, d.pre); err != nil {
		return nil, err
	}
	d.n = seq
	return d.pre, nil
}

// Step implements backends.Decoder.
func (d *decoder) Step(tokens []int64) ([]float32, error) {
	if d.closed {
		return nil, fmt.Errorf("%s: decoder closed", d.s.name)
	}
	if d.n == 0 {
		return nil, fmt.Errorf("%s: decoder step before prefill", d.s.name)
	}
	if err := backends.CheckDecode(d.s.m, tokens, d.batch, 1, d.n, d.maxLen); err != nil {
		return nil, err
	}
	if err := d.s.w.ensure(len(d.step)); err != nil {
		return nil, err
	}
	if _, err := d.s.w.call(opDecStep, d.batch, 1, 0, tokens, nil, d.step); err != nil {
		return nil, err
	}
	d.n++
	return d.step, nil
}

// Len implements backends.Decoder.
func (d *decoder) Len() int { return d.n }

// CacheBytes implements backends.Decoder: keys and values of every layer,
// float32; a static cache holds maxLen positions from the start, a dynamic
// one what it has grown to.
func (d *decoder) CacheBytes() int64 {
	pos := d.n
	if d.s.ready.Mode == "compile" {
		pos = d.maxLen
	}
	return 2 * int64(d.s.layers) * int64(d.batch) * int64(pos) * int64(d.s.width) * 4
}

// Config implements backends.Decoder.
func (d *decoder) Config() [][2]string {
	kind := "transformers DynamicCache (grows per step)"
	if d.s.ready.Mode == "compile" {
		kind = "transformers StaticCache of maxLen positions; decode step torch.compile(reduce-overhead), CUDA graphs, each step marked (cudagraph_mark_step_begin)"
	}
	return [][2]string{
		{"kv-cache", kind},
		{"kv-cache-dtype", d.s.ready.Dtype},
		{"kv-cache-placement", d.s.ready.Device},
		{"kv-cache-transport", d.s.w.transport()},
	}
}

// Close implements backends.Decoder.
func (d *decoder) Close() error {
	if d.closed {
		return nil
	}
	d.closed = true
	if d.s.dec == d {
		d.s.dec = nil
	}
	_, err := d.s.w.call(opDecClose, 0, 0, 0, nil, nil, nil)
	return err
}
