package reference

import (
	"fmt"
	"math"
	"runtime"

	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/lm/gpt2"
	"github.com/inferbench/inferbench/internal/vocab"
)

// MaskedScore is the attention score of a masked key: float32's most
// negative finite value, as Hugging Face's torch.finfo(torch.float32).min.
const MaskedScore = -math.MaxFloat32

// Forward runs GPT-2 over batch × seq token ids (row-major) and writes the
// logits [batch, seq, vocab] into logits, which must hold exactly
// batch·seq·vocab values. mask is the attention mask [batch, seq] (nonzero:
// attend); nil attends to every token.
func Forward(c gpt2.Config, w *gpt2.Weights, tokens, mask []int64, batch, seq int, logits []float32) error {
	return forward(c, w, tokens, mask, batch, seq, logits, runtime.GOMAXPROCS(0))
}

func forward(c gpt2.Config, w *gpt2.Weights, tokens, mask []int64, batch, seq int, logits []float32, workers int) error {
	if err := w.Check(c); err != nil {
		return fmt.Errorf("reference: %w", err)
	}
	if err := checkInput(c, tokens, mask, batch, seq, 0, logits); err != nil {
		return fmt.Errorf("reference: %w", err)
	}
	p := pass{c: c, w: w, batch: batch, seq: seq, d: c.NEmbd, n: batch * seq, workers: max(workers, 1)}
	p.run(tokens, mask, logits)
	return nil
}

// forwardRows is forward writing only the logits of positions from … seq−1
// of each sequence, [batch, seq−from, vocab]: the LM head skips the other
// rows.
func forwardRows(c gpt2.Config, w *gpt2.Weights, tokens []int64, batch, seq, from int, logits []float32, workers int) error {
	if err := w.Check(c); err != nil {
		return fmt.Errorf("reference: %w", err)
	}
	if err := checkInput(c, tokens, nil, batch, seq, from, logits); err != nil {
		return fmt.Errorf("reference: %w", err)
	}
	p := pass{c: c, w: w, batch: batch, seq: seq, d: c.NEmbd, n: batch * seq, workers: max(workers, 1), from: from}
	p.run(tokens, nil, logits)
	return nil
}

// checkInput validates a pass writing the logits of positions from … seq−1.
func checkInput(c gpt2.Config, tokens, mask []int64, batch, seq, from int, logits []float32) error {
	switch {
	case batch <= 0 || seq <= 0:
		return fmt.Errorf("batch %d × seq %d: %w", batch, seq, model.ErrBadShape)
	case len(tokens) != batch*seq:
		return fmt.Errorf("%d tokens for batch %d × seq %d: %w", len(tokens), batch, seq, model.ErrBadShape)
	case mask != nil && len(mask) != batch*seq:
		return fmt.Errorf("attention mask of %d values for batch %d × seq %d: %w", len(mask), batch, seq, model.ErrBadShape)
	case seq > c.NPositions:
		return fmt.Errorf("sequence length %d exceeds n_positions %d: %w", seq, c.NPositions, model.ErrTooLong)
	case from < 0 || from >= seq:
		return fmt.Errorf("first logits row %d outside sequence of %d: %w", from, seq, model.ErrBadShape)
	case from == 0 && len(logits) != batch*seq*c.VocabSize:
		return fmt.Errorf("logits buffer holds %d values, batch %d × seq %d × vocab %d needs %d: %w",
			len(logits), batch, seq, c.VocabSize, batch*seq*c.VocabSize, model.ErrBadShape)
	case len(logits) != batch*(seq-from)*c.VocabSize:
		return fmt.Errorf("logits buffer holds %d values, batch %d × rows %d…%d × vocab %d needs %d: %w",
			len(logits), batch, from, seq-1, c.VocabSize, batch*(seq-from)*c.VocabSize, model.ErrBadShape)
	}
	if err := vocab.Check(tokens, c.VocabSize); err != nil {
		return fmt.Errorf("%w: %w", err, model.ErrBadToken)
	}
	return nil
}

// pass holds one forward pass's activations, [n, ·] row-major with
// n = batch·seq rows.
type pass struct {
	c              gpt2.Config
	w              *gpt2.Weights
	batch, seq     int
	d, n           int
	workers        int
	from           int       // first position whose logits are written (forwardRows)
	x, a, ctx, tmp []float64 // [n, d]: residual stream, normed input, attention context, projection
	qkv            []float64 // [n, 3d]
	fc             []float64 // [n, 4d]
}

func (p *pass) run(tokens, mask []int64, logits []float32) {
	p.runFrom(tokens, 0, logits, func(int) { p.attention(mask) })
}

// runFrom runs the pass over tokens at positions past, past+1, … of each
// sequence; attend(layer) computes p.ctx from p.qkv.
func (p *pass) runFrom(tokens []int64, past int, logits []float32, attend func(layer int)) {
	n, d := p.n, p.d
	p.x, p.a, p.ctx, p.tmp = make([]float64, n*d), make([]float64, n*d), make([]float64, n*d), make([]float64, n*d)
	p.qkv, p.fc = make([]float64, n*3*d), make([]float64, n*4*d)
	eps := p.c.Eps()

	for i, t := range tokens {
		pos := past + i%p.seq
		te, pe := p.w.WTE.Data[int(t)*d:][:d], p.w.WPE.Data[pos*d:][:d]
		row := p.x[i*d:][:d]
		for j := range row {
			row[j] = float64(te[j]) + float64(pe[j])
		}
	}
	for l := range p.w.Blocks {
		b := &p.w.Blocks[l]
		layerNorm(p.a, p.x, b.LN1W.Data, b.LN1B.Data, d, eps)
		p.linear(p.qkv, p.a, b.AttnW.Data, b.AttnB.Data, d, 3*d)
		attend(l)
		p.linear(p.tmp, p.ctx, b.AttnPW.Data, b.AttnPB.Data, d, d)
		addTo(p.x, p.tmp)
		layerNorm(p.a, p.x, b.LN2W.Data, b.LN2B.Data, d, eps)
		p.linear(p.fc, p.a, b.FCW.Data, b.FCB.Data, d, 4*d)
		geluNew(p.fc)
		p.linear(p.tmp, p.fc, b.MLPPW.Data, b.MLPPB.Data, 4*d, d)
		addTo(p.x, p.tmp)
	}
	layerNorm(p.a, p.x, p.w.LNFW.Data, p.w.LNFB.Data, d, eps)
	if p.from > 0 { // keep rows from … seq−1 of each sequence, in order
		rows := p.seq - p.from
		for b := range p.batch {
			copy(p.a[b*rows*d:][:rows*d], p.a[(b*p.seq+p.from)*d:][:rows*d])
		}
		p.n = p.batch * rows
	}
	p.lmHead(logits)
}
