package ort

import (
	"errors"
	"fmt"

	ortgo "github.com/yalue/onnxruntime_go"

	"github.com/inferbench/inferbench/backends/model"
)

// cacheSize is how many (batch, seq, logits buffer) shapes a session keeps
// bound; benchmarks cycle through a handful of scenarios per session.
const cacheSize = 4

// bound is one shape's ORT values: input tensors owned by the session, an
// output tensor over the caller's logits buffer, and their I/O binding.
type bound struct {
	batch, seq int
	from       int      // row-prefill sessions: first logits row; 0 otherwise
	logits     *float32 // &logits[0] of the caller's buffer
	ids, mask  *ortgo.Tensor[int64]
	fromT      *ortgo.Tensor[int64] // logits_from, row-prefill sessions only
	out        *ortgo.Tensor[float32]
	binding    *ortgo.IoBinding
	used       uint64 // LRU clock; 0 marks a free slot
}

// shapeCache is a small LRU of bound I/O sets. Lookups scan a fixed array:
// no allocation on a hit.
type shapeCache struct {
	slots [cacheSize]bound
	clock uint64
}

// get returns the I/O set for this shape and buffer, creating (and
// evicting the least recently used set) on a miss. rows marks a
// row-prefill session, whose logits hold rows from … seq−1.
func (c *shapeCache) get(sess *ortgo.DynamicAdvancedSession, batch, seq, from int, rows bool, logits []float32) (*bound, error) {
	c.clock++
	victim := &c.slots[0]
	for i := range c.slots {
		s := &c.slots[i]
		if s.used != 0 && s.batch == batch && s.seq == seq && s.from == from && s.logits == &logits[0] {
			s.used = c.clock
			return s, nil
		}
		if s.used < victim.used {
			victim = s
		}
	}
	victim.destroy()
	fresh, err := newIO(sess, batch, seq, from, rows, logits)
	if err != nil {
		return nil, err
	}
	*victim = *fresh
	victim.used = c.clock
	return victim, nil
}

// destroyAll releases every cached set.
func (c *shapeCache) destroyAll() error {
	var errs []error
	for i := range c.slots {
		errs = append(errs, c.slots[i].destroy())
	}
	return errors.Join(errs...)
}

// newTensors creates the input tensors (attention mask all ones) and the
// output tensor over logits, which hold rows from … seq−1 of each
// sequence. On error nothing is left to release.
func newTensors(batch, seq, from int, logits []float32) (ids, mask *ortgo.Tensor[int64], out *ortgo.Tensor[float32], err error) {
	in := ortgo.NewShape(int64(batch), int64(seq))
	ids, err = ortgo.NewEmptyTensor[int64](in)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("ort: input_ids tensor %v: %w", in, err)
	}
	mask, err = ortgo.NewEmptyTensor[int64](in)
	if err != nil {
		ids.Destroy()
		return nil, nil, nil, fmt.Errorf("ort: attention_mask tensor %v: %w", in, err)
	}
	for i := range mask.GetData() {
		mask.GetData()[i] = 1
	}
	vocab := len(logits) / (batch * (seq - from))
	outShape := ortgo.NewShape(int64(batch), int64(seq-from), int64(vocab))
	out, err = ortgo.NewTensor(outShape, logits)
	if err != nil {
		ids.Destroy()
		mask.Destroy()
		return nil, nil, nil, fmt.Errorf("ort: logits tensor %v: %w", outShape, err)
	}
	return ids, mask, out, nil
}

func newIO(sess *ortgo.DynamicAdvancedSession, batch, seq, from int, rows bool, logits []float32) (*bound, error) {
	ids, mask, out, err := newTensors(batch, seq, from, logits)
	if err != nil {
		return nil, err
	}
	x := &bound{batch: batch, seq: seq, from: from, logits: &logits[0], ids: ids, mask: mask, out: out}
	if rows {
		if x.fromT, err = ortgo.NewTensor(ortgo.NewShape(1), []int64{int64(from)}); err != nil {
			x.destroy()
			return nil, fmt.Errorf("ort: %s tensor: %w", model.LogitsFrom, err)
		}
	}
	x.binding, err = sess.CreateIoBinding()
	if err != nil {
		x.destroy()
		return nil, fmt.Errorf("ort: creating I/O binding: %w", err)
	}
	if err := x.bindInputs(); err != nil {
		x.destroy()
		return nil, err
	}
	if err := x.binding.BindOutput(model.Logits, out); err != nil {
		x.destroy()
		return nil, fmt.Errorf("ort: binding output %s: %w", model.Logits, err)
	}
	return x, nil
}

func (x *bound) bindInputs() error {
	if err := x.binding.BindInput(model.InputIDs, x.ids); err != nil {
		return fmt.Errorf("ort: binding input %s: %w", model.InputIDs, err)
	}
	if err := x.binding.BindInput(model.AttentionMask, x.mask); err != nil {
		return fmt.Errorf("ort: binding input %s: %w", model.AttentionMask, err)
	}
	if x.fromT != nil {
		if err := x.binding.BindInput(model.LogitsFrom, x.fromT); err != nil {
			return fmt.Errorf("ort: binding input %s: %w", model.LogitsFrom, err)
		}
	}
	return nil
}

// destroy releases the binding before the values it refers to, and resets
// the slot. It is safe on a free or partly built slot.
func (x *bound) destroy() error {
	var errs []error
	if x.binding != nil {
		errs = append(errs, x.binding.Destroy())
	}
	if x.ids != nil {
		errs = append(errs, x.ids.Destroy())
	}
	if x.mask != nil {
		errs = append(errs, x.mask.Destroy())
	}
	if x.out != nil {
		errs = append(errs, x.out.Destroy())
	}
	if x.fromT != nil {
		errs = append(errs, x.fromT.Destroy())
	}
	*x = bound{}
	return errors.Join(errs...)
}
