package reference

import (
	"fmt"
	"math"
	"strconv"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
)

// NewDecoder implements backends.Generator: a float64 KV cache of batch ×
// maxLen positions per layer, keys and values [batch, heads, maxLen,
// head_dim], filled by Prefill and extended by Step. Each call computes
// only its new positions, attending to the cached keys and values, with
// the same arithmetic in the same order as Forward over the whole prefix,
// so a step's logits equal Forward's last row exactly.
func (s *session) NewDecoder(batch, maxLen int) (backends.Decoder, error) {
	c := s.src.Config
	if batch <= 0 || maxLen <= 0 {
		return nil, fmt.Errorf("reference: decoder for batch %d × %d positions: %w", batch, maxLen, model.ErrBadShape)
	}
	if maxLen > c.NPositions {
		return nil, fmt.Errorf("reference: decoder of %d positions exceeds n_positions %d: %w", maxLen, c.NPositions, model.ErrTooLong)
	}
	d := &decoder{s: s, batch: batch, maxLen: maxLen, step: make([]float32, s.m.LogitsLen(batch, 1))}
	size := batch * maxLen * c.NEmbd // heads × head_dim = n_embd
	for range c.NLayer {
		d.k = append(d.k, make([]float64, size))
		d.v = append(d.v, make([]float64, size))
	}
	return d, nil
}

type decoder struct {
	s             *session
	batch, maxLen int
	len           int
	k, v          [][]float64 // per layer [batch, heads, maxLen, head_dim]
	step          []float32   // a step's logits [batch, vocab]
}

func (d *decoder) Prefill(tokens []int64, seq int) ([]float32, error) {
	if err := backends.CheckDecode(d.s.m, tokens, d.batch, seq, 0, d.maxLen); err != nil {
		return nil, fmt.Errorf("reference: %w", err)
	}
	d.len = 0
	logits := make([]float32, d.s.m.LogitsLen(d.batch, seq))
	d.extend(tokens, seq, logits)
	return logits, nil
}

func (d *decoder) Step(tokens []int64) ([]float32, error) {
	if err := backends.CheckDecode(d.s.m, tokens, d.batch, 1, d.len, d.maxLen); err != nil {
		return nil, fmt.Errorf("reference: %w", err)
	}
	d.extend(tokens, 1, d.step)
	return d.step, nil
}

func (d *decoder) extend(tokens []int64, seq int, logits []float32) {
	c := d.s.src.Config
	p := pass{c: c, w: d.s.src.Weights, batch: d.batch, seq: seq, d: c.NEmbd, n: d.batch * seq, workers: max(d.s.threads, 1)}
	p.runFrom(tokens, d.len, logits, func(l int) { p.attendCached(d, l) })
	d.len += seq
}

func (d *decoder) Len() int { return d.len }

func (d *decoder) CacheBytes() int64 {
	return 2 * 8 * int64(len(d.k)) * int64(d.batch*d.maxLen*d.s.src.Config.NEmbd)
}

func (d *decoder) Config() [][2]string {
	return [][2]string{
		{"kv-cache-dtype", "float64"},
		{"kv-cache-positions", strconv.Itoa(d.maxLen)},
	}
}

func (d *decoder) Close() error { d.k, d.v = nil, nil; return nil }

// attendCached writes layer l's new keys and values from p.qkv into d's
// cache at positions d.len… and computes p.ctx: each new query at position
// d.len+q attends to cached positions 0 … d.len+q, as attention does over
// the whole prefix.
func (p *pass) attendCached(d *decoder, l int) {
	h := p.c.NHead
	dm, hd, s, past := p.d, p.d/p.c.NHead, p.seq, d.len
	scale := 1 / math.Sqrt(float64(hd))
	parallel(p.batch*h, p.workers, func(lo, hi int) {
		scores := make([]float64, past+s)
		for bh := lo; bh < hi; bh++ {
			b, head := bh/h, bh%h
			rows := p.qkv[b*s*3*dm:][:s*3*dm]
			ck := d.k[l][bh*d.maxLen*hd:][:d.maxLen*hd] // [maxLen, hd] of (b, head)
			cv := d.v[l][bh*d.maxLen*hd:][:d.maxLen*hd]
			for q := range s {
				copy(ck[(past+q)*hd:][:hd], rows[q*3*dm+dm+head*hd:][:hd])
				copy(cv[(past+q)*hd:][:hd], rows[q*3*dm+2*dm+head*hd:][:hd])
			}
			for q := range s {
				attendRow(p.ctx[(b*s+q)*dm+head*hd:][:hd], rows[q*3*dm+head*hd:][:hd],
					ck, cv, hd, past+q+1, scale, scores, nil)
			}
		}
	})
}
