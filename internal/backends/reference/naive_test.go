package reference

import (
	"math"

	"github.com/inferbench/inferbench/internal/lm/gpt2"
)

// naiveForward is GPT-2 written as plainly as possible, one token and one
// head at a time, for comparison with Forward. It shares no code with it.
func naiveForward(c gpt2.Config, w *gpt2.Weights, tokens, mask []int64, batch, seq int) []float64 {
	d, hd := c.NEmbd, c.NEmbd/c.NHead
	vec := func(t gpt2.Tensor) []float64 {
		v := make([]float64, len(t.Data))
		for i, x := range t.Data {
			v[i] = float64(x)
		}
		return v
	}
	norm := func(x []float64, g, b gpt2.Tensor) []float64 {
		n := float64(len(x))
		mu, m2 := 0.0, 0.0
		for _, v := range x {
			mu += v / n
		}
		for _, v := range x {
			m2 += (v - mu) * (v - mu) / n
		}
		out := make([]float64, len(x))
		for i := range x {
			out[i] = float64(g.Data[i])*(x[i]-mu)/math.Sqrt(m2+c.Eps()) + float64(b.Data[i])
		}
		return out
	}
	conv := func(x []float64, W, b gpt2.Tensor) []float64 {
		out := vec(b)
		for j := range out {
			for i := range x {
				out[j] += x[i] * float64(W.Data[i*len(out)+j])
			}
		}
		return out
	}
	var logits []float64
	for bi := range batch {
		attended := func(k int) bool { return mask == nil || mask[bi*seq+k] != 0 }
		xs := make([][]float64, seq)
		for s := range seq {
			t := int(tokens[bi*seq+s])
			xs[s] = make([]float64, d)
			for j := range d {
				xs[s][j] = float64(w.WTE.Data[t*d+j]) + float64(w.WPE.Data[s*d+j])
			}
		}
		for _, blk := range w.Blocks {
			qkv := make([][]float64, seq)
			for s := range seq {
				qkv[s] = conv(norm(xs[s], blk.LN1W, blk.LN1B), blk.AttnW, blk.AttnB)
			}
			ctx := make([][]float64, seq)
			for q := range seq {
				ctx[q] = make([]float64, d)
				var keys []int
				for k := 0; k <= q; k++ {
					if attended(k) {
						keys = append(keys, k)
					}
				}
				for h := range c.NHead {
					weights := make([]float64, seq)
					if len(keys) == 0 { // fully masked: uniform over all positions
						for k := range weights {
							weights[k] = 1 / float64(seq)
						}
					} else {
						total := 0.0
						for _, k := range keys {
							score := 0.0
							for j := h * hd; j < (h+1)*hd; j++ {
								score += qkv[q][j] * qkv[k][d+j]
							}
							weights[k] = math.Exp(score / math.Sqrt(float64(hd)))
							total += weights[k]
						}
						for k := range weights {
							weights[k] /= total
						}
					}
					for k := range seq {
						for j := h * hd; j < (h+1)*hd; j++ {
							ctx[q][j] += weights[k] * qkv[k][2*d+j]
						}
					}
				}
			}
			for s := range seq {
				proj := conv(ctx[s], blk.AttnPW, blk.AttnPB)
				for j := range d {
					xs[s][j] += proj[j]
				}
				hidden := conv(norm(xs[s], blk.LN2W, blk.LN2B), blk.FCW, blk.FCB)
				for j, u := range hidden {
					hidden[j] = u / 2 * (1 + math.Tanh(math.Sqrt(2/math.Pi)*(u+0.044715*math.Pow(u, 3))))
				}
				out := conv(hidden, blk.MLPPW, blk.MLPPB)
				for j := range d {
					xs[s][j] += out[j]
				}
			}
		}
		for s := range seq {
			h := norm(xs[s], w.LNFW, w.LNFB)
			for v := range c.VocabSize {
				z := 0.0
				for j := range d {
					z += h[j] * float64(w.WTE.Data[v*d+j])
				}
				logits = append(logits, z)
			}
		}
	}
	return logits
}
