package ort

import (
	"errors"
	"fmt"
	"strconv"

	ortgo "github.com/yalue/onnxruntime_go"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
)

// NewDecoder implements backends.Generator. It opens a second ONNX Runtime
// session, with the same options, on the model's decoder with a KV cache
// (Options.Decoder resolves it; backends pass zoo.Decoder, which builds it
// next to the model's file, or takes the file itself when a foreign file
// has the past_key_values signature) and allocates everything
// a generation needs up front:
//
//   - two cache buffers, each holding every layer's keys and values for
//     batch × maxLen positions; a call reads the past from one and ORT
//     writes the present (the past plus the new positions, which the
//     graph's Concat produces) straight into the other, so the buffers
//     swap roles every call and nothing is copied by Go. The Concat itself
//     reads and writes the whole cache every step, the price of optimum's
//     past-in, present-out signature (on GPT-2 small at 256 positions,
//     19 MB each way per step, against 498 MB of fp32 weights read);
//   - for both buffers and every length 0 … maxLen, the tensors that view
//     each layer's cache at that length ([batch, heads, length, head_dim]
//     is a prefix of the layer's region), and the attention masks;
//   - the input and output tensors of a step, the logits included;
//   - for both buffers and every cache length, an I/O binding of a step
//     at that length: the step's inputs and outputs, the past's views
//     into one buffer, the present's into the other.
//
// A Step then writes the tokens and positions into their tensors and runs
// the binding of the current length: no Go allocation (binding a value
// allocates in onnxruntime_go, so nothing is bound in a step), proven by
// ort/cpu's TestDecoderStepAllocs. The cache lives in host memory: on
// providers other than the CPU's (Options.RebindInputs), ORT copies the
// inputs to the device when they are bound, so every step re-binds them
// (a few allocations), and copies the present back. ort/cuda's sessions
// replace this decoder with one whose cache stays on the device, built on
// DecoderSession and KVLayout.
func (s *Session) NewDecoder(batch, maxLen int) (backends.Decoder, error) {
	dec, sess, owned, err := s.DecoderSession(batch, maxLen)
	if err != nil {
		return nil, err
	}
	return s.newDecoder(dec, sess, owned, batch, maxLen, true)
}

// DecoderSession validates a decoder for batch sequences of at most maxLen
// positions and returns the model's decoder with a KV cache and an ORT
// session on it, opened with s's options: s's own session when the
// model's file is the decoder (owned false), else a new one the caller
// must Destroy (owned true). NewDecoder builds the host-cache decoder on
// it; backends that bind device memory themselves (ort/cuda) build
// theirs. Without a decoder (Options.Decoder nil) or for a file without
// the KV-cache signature, the error wraps backends.ErrUnavailable with
// the reason.
func (s *Session) DecoderSession(batch, maxLen int) (dec *model.Decoder, sess *ortgo.DynamicAdvancedSession, owned bool, err error) {
	if s.sess == nil {
		return nil, nil, false, fmt.Errorf("%s: decoder: %w", s.backend, ErrClosed)
	}
	if batch <= 0 || maxLen <= 0 {
		return nil, nil, false, fmt.Errorf("%s: decoder for batch %d × %d positions: %w", s.backend, batch, maxLen, model.ErrBadShape)
	}
	if s.m.Positions > 0 && maxLen > s.m.Positions {
		return nil, nil, false, fmt.Errorf("%s: decoder of %d positions exceeds n_positions %d: %w", s.backend, maxLen, s.m.Positions, model.ErrTooLong)
	}
	if s.opts.Decoder == nil {
		return nil, nil, false, backends.Unavailable(s.backend, "%s", backends.NoGeneration)
	}
	if s.kv != nil { // the model's own file is the decoder: share its session
		return s.kv, s.sess, false, nil
	}
	dec, err = s.opts.Decoder(s.m)
	if errors.Is(err, model.ErrNoKVCache) {
		return nil, nil, false, fmt.Errorf("%w: %w", backends.Unavailable(s.backend, "prefill only: %v", err), err)
	}
	if err != nil {
		return nil, nil, false, fmt.Errorf("%s: %w", s.backend, err)
	}
	if sess, err = openDecoderSession(dec, s.opts); err != nil {
		return nil, nil, false, fmt.Errorf("%s: %w", s.backend, err)
	}
	return dec, sess, true, nil
}

// newDecoder makes a decoder over sess (closed with the decoder if owned);
// steps prepares the bindings of decoding steps, which a prefill-only
// decoder (see prefillKV) does without.
func (s *Session) newDecoder(dec *model.Decoder, sess *ortgo.DynamicAdvancedSession, owned bool, batch, maxLen int, steps bool) (*decoder, error) {
	d := &decoder{backend: s.backend, m: s.m, dec: dec, lay: NewKVLayout(dec, batch, maxLen), batch: batch, maxLen: maxLen, sess: sess, owned: owned, rebind: s.opts.RebindInputs}
	if err := d.alloc(steps); err != nil {
		d.Close()
		return nil, fmt.Errorf("%s: decoder %s: %w", s.backend, dec.Path, err)
	}
	return d, nil
}

// openDecoderSession opens an ORT session on dec's file with the options o
// (profiling off).
func openDecoderSession(dec *model.Decoder, o Options) (*ortgo.DynamicAdvancedSession, error) {
	return openSideSession(dec.Path, dec.InputNames(), dec.OutputNames(), o)
}

// openSideSession opens an ORT session on a file derived from the model's
// (its decoder, its row-prefill graph) with the options o (profiling off).
func openSideSession(path string, ins, outs []string, o Options) (*ortgo.DynamicAdvancedSession, error) {
	so, err := ortgo.NewSessionOptions()
	if err != nil {
		return nil, fmt.Errorf("creating session options: %w", err)
	}
	defer so.Destroy()
	if err := o.apply(so); err != nil {
		return nil, err
	}
	if err := so.DisableProfiling(); err != nil {
		return nil, fmt.Errorf("disabling profiling: %w", err)
	}
	sess, err := ortgo.NewDynamicAdvancedSession(path, ins, outs, so)
	if err != nil {
		return nil, fmt.Errorf("%w %s: %w", ErrModelLoad, path, err)
	}
	return sess, nil
}

// kvFile returns m's decoder when m's own file is one (a foreign file with
// the KV-cache signature), nil otherwise.
func kvFile(m *model.Model, o Options) *model.Decoder {
	if o.Decoder == nil || m.Source != nil {
		return nil
	}
	dec, err := o.Decoder(m)
	if err != nil || dec.Path != m.ONNXPath {
		return nil
	}
	return dec
}

// prefillKV runs Prefill on a file that is a decoder with a KV cache: the
// prompt with an empty past, through a prefill-only decoder kept for the
// last batch size, the logits written straight into the caller's buffer.
func (s *Session) prefillKV(tokens []int64, batch, seq int, logits []float32) error {
	d := s.kvPrefill
	if d == nil || d.batch != batch || d.maxLen < seq {
		if d != nil {
			if err := d.Close(); err != nil {
				return err
			}
			s.kvPrefill = nil
		}
		var err error
		if d, err = s.newDecoder(s.kv, s.sess, false, batch, seq, false); err != nil {
			return err
		}
		s.kvPrefill = d
	}
	_, err := d.prefill(tokens, seq, logits)
	return err
}

// decoder is an ORT KV-cache decoder; see NewDecoder.
type decoder struct {
	backend       string
	m             *model.Model
	dec           *model.Decoder
	rebind        bool // re-bind inputs before every run (Options.RebindInputs)
	lay           KVLayout
	batch, maxLen int
	len           int // cached positions
	cur           int // which buffer holds the cache

	sess    *ortgo.DynamicAdvancedSession
	owned   bool     // the decoder closes sess
	inputs  []string // input names, in binding order
	outputs []string

	bufs  [2][]float32
	views [2][][]*ortgo.Tensor[float32] // [buffer][length][2·layer + key/value], made by view
	masks []*ortgo.Tensor[int64]        // [length]: all-ones [batch, length], made by mask
	ones  []int64                       // batch·maxLen ones, the masks' data

	stepIDs, stepPos *ortgo.Tensor[int64]   // [batch, 1]
	stepLogits       []float32              // [batch, vocab]
	stepOut          *ortgo.Tensor[float32] // [batch, 1, vocab] over stepLogits
	steps            [2][]*ortgo.IoBinding  // [buffer][cache length]

	pre struct { // the last prefill length's tensors and binding
		seq      int
		ids, pos *ortgo.Tensor[int64]
		logits   []float32 // the decoder's or the caller's (prefillKV)
		out      *ortgo.Tensor[float32]
		binding  *ortgo.IoBinding
	}
}

// alloc allocates the cache buffers, the step tensors and, with steps, the
// binding of a step at every cache length (with the views and masks they
// bind).
func (d *decoder) alloc(steps bool) error {
	d.inputs, d.outputs = d.dec.InputNames(), d.dec.OutputNames()
	for i := range d.bufs {
		d.bufs[i] = make([]float32, d.lay.BufferLen())
		d.views[i] = make([][]*ortgo.Tensor[float32], d.maxLen+1)
	}
	d.ones = make([]int64, d.batch*d.maxLen)
	for i := range d.ones {
		d.ones[i] = 1
	}
	d.masks = make([]*ortgo.Tensor[int64], d.maxLen+1)
	if !steps {
		return nil
	}
	var err error
	step := ortgo.NewShape(int64(d.batch), 1)
	if d.stepIDs, err = ortgo.NewEmptyTensor[int64](step); err != nil {
		return fmt.Errorf("input_ids: %w", err)
	}
	if d.stepPos, err = ortgo.NewEmptyTensor[int64](step); err != nil {
		return fmt.Errorf("position_ids: %w", err)
	}
	d.stepLogits = make([]float32, d.m.LogitsLen(d.batch, 1))
	if d.stepOut, err = ortgo.NewTensor(ortgo.NewShape(int64(d.batch), 1, int64(d.m.Vocab)), d.stepLogits); err != nil {
		return fmt.Errorf("logits: %w", err)
	}
	for c := range d.steps {
		d.steps[c] = make([]*ortgo.IoBinding, d.maxLen)
		for l := 1; l < d.maxLen; l++ {
			if d.steps[c][l], err = d.bind(c, l, 1, d.stepIDs, d.stepPos, d.stepOut); err != nil {
				return err
			}
		}
	}
	return nil
}

// view returns the tensors that view every layer's keys and values of
// buffer c at length l, making them on first use.
func (d *decoder) view(c, l int) ([]*ortgo.Tensor[float32], error) {
	if v := d.views[c][l]; v != nil {
		return v, nil
	}
	shape := ortgo.NewShape(d.lay.Shape(l)...)
	v := make([]*ortgo.Tensor[float32], d.lay.Tensors())
	for j := range v {
		t, err := ortgo.NewTensor(shape, d.bufs[c][d.lay.Offset(j):d.lay.Offset(j+1)])
		if err != nil {
			for _, t := range v[:j] {
				t.Destroy()
			}
			return nil, fmt.Errorf("cache view %v: %w", shape, err)
		}
		v[j] = t
	}
	d.views[c][l] = v
	return v, nil
}

// mask returns the all-ones attention mask [batch, l], made on first use.
func (d *decoder) mask(l int) (*ortgo.Tensor[int64], error) {
	if d.masks[l] == nil {
		t, err := ortgo.NewTensor(ortgo.NewShape(int64(d.batch), int64(l)), d.ones)
		if err != nil {
			return nil, fmt.Errorf("attention mask: %w", err)
		}
		d.masks[l] = t
	}
	return d.masks[l], nil
}

// bind makes the I/O binding of a call that adds seq positions to a cache
// of past positions held in buffer c.
func (d *decoder) bind(c, past, seq int, ids, pos *ortgo.Tensor[int64], logits *ortgo.Tensor[float32]) (*ortgo.IoBinding, error) {
	call, err := d.lay.Plan(c, past, seq)
	if err != nil {
		return nil, err
	}
	b, err := d.sess.CreateIoBinding()
	if err != nil {
		return nil, fmt.Errorf("creating I/O binding: %w", err)
	}
	if err := d.bindInputs(b, c, past, seq, ids, pos); err != nil {
		b.Destroy()
		return nil, err
	}
	if err := b.BindOutput(d.outputs[0], logits); err != nil {
		b.Destroy()
		return nil, fmt.Errorf("binding %s: %w", d.outputs[0], err)
	}
	present, err := d.view(call.Present, call.PresentLen)
	if err != nil {
		b.Destroy()
		return nil, err
	}
	for j, v := range present {
		if err := b.BindOutput(d.outputs[1+j], v); err != nil {
			b.Destroy()
			return nil, fmt.Errorf("binding %s: %w", d.outputs[1+j], err)
		}
	}
	return b, nil
}

func (d *decoder) bindInputs(b *ortgo.IoBinding, c, past, seq int, ids, pos *ortgo.Tensor[int64]) error {
	mask, err := d.mask(past + seq)
	if err != nil {
		return err
	}
	pastViews, err := d.view(c, past)
	if err != nil {
		return err
	}
	ins := []ortgo.Value{ids, mask, pos}
	for _, v := range pastViews {
		ins = append(ins, v)
	}
	for i, v := range ins {
		if err := b.BindInput(d.inputs[i], v); err != nil {
			return fmt.Errorf("binding %s: %w", d.inputs[i], err)
		}
	}
	return nil
}

func (d *decoder) Prefill(tokens []int64, seq int) ([]float32, error) {
	return d.prefill(tokens, seq, nil)
}

// prefill is Prefill writing the logits into out, or into the decoder's
// own buffer when out is nil.
func (d *decoder) prefill(tokens []int64, seq int, out []float32) ([]float32, error) {
	if d.sess == nil {
		return nil, fmt.Errorf("%s: decoder prefill: %w", d.backend, ErrClosed)
	}
	if err := backends.CheckDecode(d.m, tokens, d.batch, seq, 0, d.maxLen); err != nil {
		return nil, fmt.Errorf("%s: %w", d.backend, err)
	}
	if d.pre.seq != seq || out != nil && &out[0] != &d.pre.logits[0] {
		if err := d.prefillIO(seq, out); err != nil {
			return nil, fmt.Errorf("%s: %w", d.backend, err)
		}
	}
	copy(d.pre.ids.GetData(), tokens)
	d.len, d.cur = 0, 0
	if err := d.run(d.pre.binding, d.pre.ids, d.pre.pos, seq); err != nil {
		return nil, err
	}
	return d.pre.logits, nil
}

// prefillIO makes the tensors and binding of a prefill of seq tokens
// (positions 0 … seq−1 in every row) into buffer 0, its logits written
// into logits (nil: a buffer of the decoder's).
func (d *decoder) prefillIO(seq int, logits []float32) error {
	if err := d.destroyPrefill(); err != nil {
		return err
	}
	shape := ortgo.NewShape(int64(d.batch), int64(seq))
	ids, err := ortgo.NewEmptyTensor[int64](shape)
	if err != nil {
		return fmt.Errorf("input_ids: %w", err)
	}
	d.pre.ids = ids
	if d.pre.pos, err = ortgo.NewEmptyTensor[int64](shape); err != nil {
		return fmt.Errorf("position_ids: %w", err)
	}
	for i := range d.pre.pos.GetData() {
		d.pre.pos.GetData()[i] = int64(i % seq)
	}
	if d.pre.logits = logits; logits == nil {
		d.pre.logits = make([]float32, d.m.LogitsLen(d.batch, seq))
	}
	if d.pre.out, err = ortgo.NewTensor(ortgo.NewShape(int64(d.batch), int64(seq), int64(d.m.Vocab)), d.pre.logits); err != nil {
		return fmt.Errorf("logits: %w", err)
	}
	if d.pre.binding, err = d.bind(0, 0, seq, d.pre.ids, d.pre.pos, d.pre.out); err != nil {
		return err
	}
	d.pre.seq = seq
	return nil
}

func (d *decoder) destroyPrefill() error {
	var errs []error
	if d.pre.binding != nil {
		errs = append(errs, d.pre.binding.Destroy())
	}
	for _, t := range []*ortgo.Tensor[int64]{d.pre.ids, d.pre.pos} {
		if t != nil {
			errs = append(errs, t.Destroy())
		}
	}
	if d.pre.out != nil {
		errs = append(errs, d.pre.out.Destroy())
	}
	d.pre.binding, d.pre.ids, d.pre.pos, d.pre.out, d.pre.logits, d.pre.seq = nil, nil, nil, nil, nil, 0
	return errors.Join(errs...)
}

func (d *decoder) Step(tokens []int64) ([]float32, error) {
	if d.sess == nil {
		return nil, fmt.Errorf("%s: decoder step: %w", d.backend, ErrClosed)
	}
	if d.len == 0 || d.steps[d.cur] == nil {
		return nil, fmt.Errorf("%s: decoder step before prefill: %w", d.backend, model.ErrBadShape)
	}
	if err := backends.CheckDecode(d.m, tokens, d.batch, 1, d.len, d.maxLen); err != nil {
		return nil, fmt.Errorf("%s: %w", d.backend, err)
	}
	copy(d.stepIDs.GetData(), tokens)
	pos := d.stepPos.GetData()
	for i := range pos {
		pos[i] = int64(d.len)
	}
	if err := d.run(d.steps[d.cur][d.len], d.stepIDs, d.stepPos, 1); err != nil {
		return nil, err
	}
	return d.stepLogits, nil
}

// run runs binding b, which adds seq positions to the cache in buffer
// d.cur and writes the grown cache into the other buffer, and swaps them.
func (d *decoder) run(b *ortgo.IoBinding, ids, pos *ortgo.Tensor[int64], seq int) error {
	if d.rebind {
		if err := d.bindInputs(b, d.cur, d.len, seq, ids, pos); err != nil {
			return fmt.Errorf("%s: %w", d.backend, err)
		}
	}
	if err := d.sess.RunWithBinding(b); err != nil {
		return fmt.Errorf("%s: model %s decoder, batch %d, %d cached + %d new positions: %w", d.backend, d.m.Identity.Name, d.batch, d.len, seq, err)
	}
	d.len, d.cur = d.len+seq, 1-d.cur
	return nil
}

func (d *decoder) Len() int { return d.len }

func (d *decoder) CacheBytes() int64 { return 4 * int64(len(d.bufs[0])+len(d.bufs[1])) }

func (d *decoder) Config() [][2]string {
	placement := "host"
	if d.rebind {
		placement = "host, copied to the device and back every call"
	}
	return [][2]string{
		{"kv-cache-dtype", "float32"},
		{"kv-cache-positions", strconv.Itoa(d.maxLen)},
		{"kv-cache-placement", placement},
		{"kv-cache-buffers", "2: ORT reads the past from one and writes the present into the other"},
		{"kv-decoder-onnx-sha256", d.dec.SHA256},
	}
}

// Close releases the bindings, every tensor and the session. Closing twice
// is a no-op.
func (d *decoder) Close() error {
	errs := []error{d.destroyPrefill()}
	for c := range d.steps {
		for _, b := range d.steps[c] {
			if b != nil {
				errs = append(errs, b.Destroy())
			}
		}
		d.steps[c] = nil
	}
	for i := range d.views {
		for _, vs := range d.views[i] {
			for _, v := range vs {
				if v != nil {
					errs = append(errs, v.Destroy())
				}
			}
		}
		d.views[i], d.bufs[i] = nil, nil
	}
	for _, m := range d.masks {
		if m != nil {
			errs = append(errs, m.Destroy())
		}
	}
	d.masks = nil
	for _, t := range []*ortgo.Tensor[int64]{d.stepIDs, d.stepPos} {
		if t != nil {
			errs = append(errs, t.Destroy())
		}
	}
	if d.stepOut != nil {
		errs = append(errs, d.stepOut.Destroy())
	}
	d.stepIDs, d.stepPos, d.stepOut = nil, nil, nil
	if d.sess != nil && d.owned {
		errs = append(errs, d.sess.Destroy())
	}
	d.sess = nil
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("%s: closing decoder: %w", d.backend, err)
	}
	return nil
}
