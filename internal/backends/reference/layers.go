package reference

import (
	"math"

	split "github.com/inferbench/inferbench/internal/parallel"
)

// parallel calls f over [0, n) split into at most workers contiguous chunks,
// concurrently, and waits for them.
func parallel(n, workers int, f func(lo, hi int)) {
	split.For(n, workers, func(_, lo, hi int) { f(lo, hi) })
}

// layerNorm normalises every row of src (width d) to zero mean and unit
// variance (biased, plus eps) and applies gain g and bias b.
func layerNorm(dst, src []float64, g, b []float32, d int, eps float64) {
	for r := 0; r < len(src); r += d {
		in, out := src[r:r+d], dst[r:r+d]
		var mean float64
		for _, v := range in {
			mean += v
		}
		mean /= float64(d)
		var variance float64
		for _, v := range in {
			variance += (v - mean) * (v - mean)
		}
		inv := 1 / math.Sqrt(variance/float64(d)+eps)
		for j, v := range in {
			out[j] = (v-mean)*inv*float64(g[j]) + float64(b[j])
		}
	}
}

// linear is Hugging Face's Conv1D: dst[n, out] = src[n, in] · w[in, out] + bias.
// Rows go four at a time, so each weight is loaded once per four rows.
func (p *pass) linear(dst, src []float64, w, bias []float32, in, out int) {
	parallel((p.n+3)/4, p.workers, func(lo, hi int) {
		for i := 4 * lo; i < min(4*hi, p.n); i += 4 {
			r := min(4, p.n-i)
			for k := range r {
				copyWidened(dst[(i+k)*out:][:out], bias)
			}
			if r < 4 {
				for k := range r {
					y, x := dst[(i+k)*out:][:out], src[(i+k)*in:][:in]
					for c, xv := range x {
						for j, wv := range w[c*out:][:out] {
							y[j] += xv * float64(wv)
						}
					}
				}
				continue
			}
			y0, y1, y2, y3 := dst[i*out:][:out], dst[(i+1)*out:][:out], dst[(i+2)*out:][:out], dst[(i+3)*out:][:out]
			for c := range in {
				x0, x1, x2, x3 := src[i*in+c], src[(i+1)*in+c], src[(i+2)*in+c], src[(i+3)*in+c]
				for j, wv := range w[c*out:][:out] {
					f := float64(wv)
					y0[j] += x0 * f
					y1[j] += x1 * f
					y2[j] += x2 * f
					y3[j] += x3 * f
				}
			}
		}
	})
}

func copyWidened(dst []float64, src []float32) {
	for j, v := range src {
		dst[j] = float64(v)
	}
}

// attention computes p.ctx from p.qkv for every (batch, head) pair: causal
// scaled dot-product attention, with keys whose mask value is 0 masked too.
func (p *pass) attention(mask []int64) {
	h := p.c.NHead
	d, hd, s := p.d, p.d/p.c.NHead, p.seq
	scale := 1 / math.Sqrt(float64(hd))
	parallel(p.batch*h, p.workers, func(lo, hi int) {
		scores := make([]float64, s)
		for bh := lo; bh < hi; bh++ {
			b, head := bh/h, bh%h
			rows := p.qkv[b*s*3*d:][:s*3*d]
			for q := range s {
				masked := func(k int) bool { return k > q || mask != nil && mask[b*s+k] == 0 }
				attendRow(p.ctx[(b*s+q)*d+head*hd:][:hd], rows[q*3*d+head*hd:][:hd],
					rows[d+head*hd:], rows[2*d+head*hd:], 3*d, s, scale, scores, masked)
			}
		}
	})
}

// attendRow writes into out (head_dim wide) the attention of query qv over
// nk keys: key k is keys[k·stride:][:head_dim], its value
// vals[k·stride:][:head_dim]; masked (nil: none) marks the keys the query
// may not attend, which score MaskedScore. scores holds at least nk values
// of scratch.
func attendRow(out, qv, keys, vals []float64, stride, nk int, scale float64, scores []float64, masked func(k int) bool) {
	hd := len(out)
	scores = scores[:nk]
	m := math.Inf(-1)
	for k := range nk {
		if masked != nil && masked(k) {
			scores[k] = MaskedScore
			continue
		}
		kv := keys[k*stride:][:hd]
		var dot float64
		for j := range hd {
			dot += qv[j] * kv[j]
		}
		scores[k] = dot * scale
		m = max(m, scores[k])
	}
	softmaxMasked(scores, m)
	clear(out)
	for k, pk := range scores {
		if pk == 0 {
			continue
		}
		vv := vals[k*stride:][:hd]
		for j := range hd {
			out[j] += pk * vv[j]
		}
	}
}

// softmaxMasked turns scores into probabilities in place; m is the largest
// unmasked score, or -Inf when every key is masked. Masked keys get
// probability 0, except in a fully masked row, where every score equals
// MaskedScore and the softmax is uniform.
func softmaxMasked(scores []float64, m float64) {
	if math.IsInf(m, -1) {
		for k := range scores {
			scores[k] = 1 / float64(len(scores))
		}
		return
	}
	var sum float64
	for k, v := range scores {
		if v == MaskedScore {
			scores[k] = 0
			continue
		}
		scores[k] = math.Exp(v - m)
		sum += scores[k]
	}
	for k := range scores {
		scores[k] /= sum
	}
}

// geluNew applies Hugging Face's gelu_new in place:
// 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
func geluNew(x []float64) {
	c := math.Sqrt(2 / math.Pi)
	for i, v := range x {
		x[i] = 0.5 * v * (1 + math.Tanh(c*(v+0.044715*v*v*v)))
	}
}

func addTo(dst, src []float64) {
	for i, v := range src {
		dst[i] += v
	}
}

// lmHead writes logits[n, vocab] = p.a[n, d] · wteᵀ, splitting the
// vocabulary over the workers. Each embedding row is widened to float64
// once and serves four rows at a time; every dot product still sums its
// terms in index order, so the logits do not depend on the blocking.
func (p *pass) lmHead(logits []float32) {
	d, vocab, n := p.d, p.c.VocabSize, p.n
	wte := p.w.WTE.Data
	parallel(vocab, p.workers, func(lo, hi int) {
		e := make([]float64, d)
		for v := lo; v < hi; v++ {
			copyWidened(e, wte[v*d:][:d])
			i := 0
			for ; i+4 <= n; i += 4 {
				x0, x1, x2, x3 := p.a[i*d:][:d], p.a[(i+1)*d:][:d], p.a[(i+2)*d:][:d], p.a[(i+3)*d:][:d]
				var s0, s1, s2, s3 float64
				for j, ev := range e {
					s0 += x0[j] * ev
					s1 += x1[j] * ev
					s2 += x2[j] * ev
					s3 += x3[j] * ev
				}
				logits[i*vocab+v] = float32(s0)
				logits[(i+1)*vocab+v] = float32(s1)
				logits[(i+2)*vocab+v] = float32(s2)
				logits[(i+3)*vocab+v] = float32(s3)
			}
			for ; i < n; i++ {
				x := p.a[i*d:][:d]
				var dot float64
				for j, ev := range e {
					dot += x[j] * ev
				}
				logits[i*vocab+v] = float32(dot)
			}
		}
	})
}
