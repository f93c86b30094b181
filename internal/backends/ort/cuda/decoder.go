//go:build cuda

package cuda

import (
	"errors"
	"fmt"
	"strconv"
	"unsafe"

	ortgo "github.com/yalue/onnxruntime_go"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/backends/ort"
	"github.com/inferbench/inferbench/internal/backends/ort/capi"
	"github.com/inferbench/inferbench/internal/backends/ort/gpulib"
)

// NewDecoder implements backends.Generator with a KV cache that stays in
// device memory between steps (see decoder); sessions replaying CUDA
// graphs do not generate (Options): their error wraps
// backends.ErrUnavailable with the reason backends.NoGeneration.
func (s *Session) NewDecoder(batch, maxLen int) (backends.Decoder, error) {
	if s.mem == nil {
		return nil, fmt.Errorf("%s: decoder: %w", s.name, ort.ErrClosed)
	}
	if s.graph {
		return nil, backends.Unavailable(s.name, "%s", backends.NoGeneration)
	}
	dec, sess, owned, err := s.DecoderSession(batch, maxLen)
	if err != nil {
		return nil, err
	}
	d, err := newDecoder(s.name, s.Model, dec, sess, owned, s.device, batch, maxLen)
	if err != nil {
		return nil, fmt.Errorf("%s: decoder %s: %w", s.name, dec.Path, err)
	}
	return d, nil
}

// DecoderSession is ort.Session.DecoderSession for a session without CUDA
// graphs; a graph session refuses with backends.NoGeneration.
func (s *Session) DecoderSession(batch, maxLen int) (*model.Decoder, *ortgo.DynamicAdvancedSession, bool, error) {
	if s.graph {
		return nil, nil, false, backends.Unavailable(s.name, "%s", backends.NoGeneration)
	}
	return s.Session.DecoderSession(batch, maxLen)
}

// decoder is a KV-cache decoder whose cache lives on the GPU. Everything
// it binds is device memory (cudaMalloc) allocated when it is made:
//
//   - two cache buffers laid out by ort.KVLayout; a call reads the past
//     from one and ORT writes the present (past plus new positions) into
//     the other, and they swap roles, so the cache never leaves the device;
//   - for each buffer and length, OrtValues viewing every cache tensor at
//     that length (ORT writes a bound output only into a tensor of exactly
//     the output's shape, and the present grows by one position a step);
//     made on first use and kept;
//   - a buffer of ones the attention masks of every length view;
//   - the step's input_ids and position_ids (one buffer, one cudaMemcpy
//     from a host staging slice) and its logits [batch, 1, vocab];
//   - for each buffer and every cache length, an I/O binding of the step
//     at that length.
//
// A Step copies the tokens and positions in, runs the binding of the
// current length and copies the next-token logits out into a host slice
// (the Decoder contract returns host logits): two small cudaMemcpy calls,
// no Go allocation (TestDecoderStepAllocs). A Prefill makes its own
// inputs, logits buffer and binding once per prompt length.
type decoder struct {
	name     string
	m        *model.Model
	dec      *model.Decoder
	lay      ort.KVLayout
	device   int
	len, cur int // cached positions; the buffer holding them

	sess  *ortgo.DynamicAdvancedSession
	raw   capi.Session
	owned bool
	mem   *capi.MemInfo
	ins   []string
	outs  []string

	cache [2]*gpulib.DeviceBuffer
	views [2][][]*capi.Value // [buffer][length][tensor], made by view
	ones  *gpulib.DeviceBuffer
	masks []*capi.Value // [length], made by mask

	step callIO                // [batch, 1] ids and positions, [batch, 1, vocab] logits
	bind [2][]*ortgo.IoBinding // [buffer][cache length]: a step's bindings
	pre  callIO                // the last prefill length's
}

// callIO is a call's inputs and logits: ids and positions in one device
// buffer (ids first), filled from host with one copy, and the logits,
// copied out into a host slice.
type callIO struct {
	seq      int
	buf      *gpulib.DeviceBuffer
	host     []int64 // ids then positions
	ids, pos *capi.Value
	out      *gpulib.DeviceBuffer
	vOut     *capi.Value
	logits   []float32
	binding  *ortgo.IoBinding // prefill only
}

func newDecoder(name string, m *model.Model, dec *model.Decoder, sess *ortgo.DynamicAdvancedSession, owned bool, device, batch, maxLen int) (*decoder, error) {
	d := &decoder{name: name, m: m, dec: dec, lay: ort.NewKVLayout(dec, batch, maxLen), device: device, sess: sess, owned: owned}
	if err := d.alloc(); err != nil {
		return nil, errors.Join(err, d.Close())
	}
	return d, nil
}

func (d *decoder) alloc() error {
	d.ins, d.outs = d.dec.InputNames(), d.dec.OutputNames()
	d.raw = capi.SessionOf(d.sess)
	if err := capi.CheckSession(d.raw, len(d.ins), len(d.outs)); err != nil {
		return err
	}
	var err error
	if d.mem, err = capi.CUDAMemInfo(d.device); err != nil {
		return err
	}
	for c := range d.cache {
		if d.cache[c], err = gpulib.Malloc(d.device, 4*uintptr(d.lay.BufferLen())); err != nil {
			return fmt.Errorf("KV cache buffer: %w", err)
		}
		d.views[c] = make([][]*capi.Value, d.lay.MaxLen+1)
	}
	n := d.lay.Batch * d.lay.MaxLen
	if d.ones, err = gpulib.Malloc(d.device, 8*uintptr(n)); err != nil {
		return err
	}
	ones := make([]int64, n)
	for i := range ones {
		ones[i] = 1
	}
	if err := gpulib.CopyIn(d.ones, ones); err != nil {
		return err
	}
	d.masks = make([]*capi.Value, d.lay.MaxLen+1)
	if err := d.newIO(&d.step, 1); err != nil {
		return err
	}
	for c := range d.bind {
		d.bind[c] = make([]*ortgo.IoBinding, d.lay.MaxLen)
		for l := 1; l < d.lay.MaxLen; l++ {
			if d.bind[c][l], err = d.binding(c, l, &d.step); err != nil {
				return err
			}
		}
	}
	return nil
}

// newIO allocates the inputs and logits of a call of seq positions.
func (d *decoder) newIO(x *callIO, seq int) error {
	b := d.lay.Batch
	x.seq = seq
	var err error
	if x.buf, err = gpulib.Malloc(d.device, 16*uintptr(b*seq)); err != nil {
		return err
	}
	x.host = make([]int64, 2*b*seq)
	shape := []int64{int64(b), int64(seq)}
	if x.ids, err = capi.NewTensor(d.mem, x.buf.Ptr, 8*uintptr(b*seq), shape, capi.Int64); err != nil {
		return err
	}
	if x.pos, err = capi.NewTensor(d.mem, unsafe.Add(x.buf.Ptr, 8*b*seq), 8*uintptr(b*seq), shape, capi.Int64); err != nil {
		return err
	}
	x.logits = make([]float32, d.m.LogitsLen(b, seq))
	if x.out, err = gpulib.Malloc(d.device, 4*uintptr(len(x.logits))); err != nil {
		return err
	}
	x.vOut, err = capi.NewTensor(d.mem, x.out.Ptr, x.out.Bytes, []int64{int64(b), int64(seq), int64(d.m.Vocab)}, capi.Float32)
	return err
}

func (x *callIO) destroy() error {
	var errs []error
	if x.binding != nil {
		errs = append(errs, x.binding.Destroy())
	}
	x.ids.Destroy()
	x.pos.Destroy()
	x.vOut.Destroy()
	errs = append(errs, x.buf.Free(), x.out.Free())
	*x = callIO{}
	return errors.Join(errs...)
}

// view returns the values that view every cache tensor of buffer c at
// length l, making them on first use.
func (d *decoder) view(c, l int) ([]*capi.Value, error) {
	if v := d.views[c][l]; v != nil {
		return v, nil
	}
	v := make([]*capi.Value, d.lay.Tensors())
	region := 4 * uintptr(d.lay.RegionLen())
	for j := range v {
		t, err := capi.NewTensor(d.mem, unsafe.Add(d.cache[c].Ptr, 4*d.lay.Offset(j)), region, d.lay.Shape(l), capi.Float32)
		if err != nil {
			for _, t := range v[:j] {
				t.Destroy()
			}
			return nil, fmt.Errorf("cache view: %w", err)
		}
		v[j] = t
	}
	d.views[c][l] = v
	return v, nil
}

// mask returns the all-ones attention mask [batch, l], made on first use.
func (d *decoder) mask(l int) (*capi.Value, error) {
	if d.masks[l] == nil {
		t, err := capi.NewTensor(d.mem, d.ones.Ptr, d.ones.Bytes, []int64{int64(d.lay.Batch), int64(l)}, capi.Int64)
		if err != nil {
			return nil, fmt.Errorf("attention mask: %w", err)
		}
		d.masks[l] = t
	}
	return d.masks[l], nil
}

// binding makes the I/O binding of the call that adds x.seq positions to
// past cached ones held in buffer c (ort.KVLayout.Plan).
func (d *decoder) binding(c, past int, x *callIO) (*ortgo.IoBinding, error) {
	call, err := d.lay.Plan(c, past, x.seq)
	if err != nil {
		return nil, err
	}
	mask, err := d.mask(call.PresentLen)
	if err != nil {
		return nil, err
	}
	pastV, err := d.view(call.Past, call.PastLen)
	if err != nil {
		return nil, err
	}
	presentV, err := d.view(call.Present, call.PresentLen)
	if err != nil {
		return nil, err
	}
	b, err := d.sess.CreateIoBinding()
	if err != nil {
		return nil, fmt.Errorf("creating I/O binding: %w", err)
	}
	cb := capi.BindingOf(b)
	bindErr := func(err error) (*ortgo.IoBinding, error) { return nil, errors.Join(err, b.Destroy()) }
	for i, v := range append([]*capi.Value{x.ids, mask, x.pos}, pastV...) {
		if err := capi.BindInput(cb, d.ins[i], v); err != nil {
			return bindErr(err)
		}
	}
	for i, v := range append([]*capi.Value{x.vOut}, presentV...) {
		if err := capi.BindOutput(cb, d.outs[i], v); err != nil {
			return bindErr(err)
		}
	}
	return b, nil
}

// run copies x's ids and positions to the device, runs binding b on the
// cache in buffer d.cur, copies the logits out and swaps the buffers.
func (d *decoder) run(x *callIO, b *ortgo.IoBinding) error {
	if err := gpulib.CopyIn(x.buf, x.host); err != nil {
		return fmt.Errorf("%s: %w", d.name, err)
	}
	if err := capi.Run(d.raw, nil, capi.BindingOf(b)); err != nil {
		return fmt.Errorf("%s: model %s decoder, batch %d, %d cached + %d new positions: %w", d.name, d.m.Identity.Name, d.lay.Batch, d.len, x.seq, err)
	}
	if err := gpulib.CopyOut(x.logits, x.out); err != nil {
		return fmt.Errorf("%s: %w", d.name, err)
	}
	d.len, d.cur = d.len+x.seq, 1-d.cur
	return nil
}

// prefillIO replaces the prefill's inputs, logits and binding with those
// of a prompt of seq positions into buffer 0.
func (d *decoder) prefillIO(seq int) error {
	if err := d.pre.destroy(); err != nil {
		return err
	}
	if err := d.newIO(&d.pre, seq); err != nil {
		return err
	}
	var err error
	d.pre.binding, err = d.binding(0, 0, &d.pre)
	return err
}

// Prefill implements backends.Decoder.
func (d *decoder) Prefill(tokens []int64, seq int) ([]float32, error) {
	if d.sess == nil {
		return nil, fmt.Errorf("%s: decoder prefill: %w", d.name, ort.ErrClosed)
	}
	if err := backends.CheckDecode(d.m, tokens, d.lay.Batch, seq, 0, d.lay.MaxLen); err != nil {
		return nil, fmt.Errorf("%s: %w", d.name, err)
	}
	if d.pre.seq != seq || d.pre.binding == nil {
		if err := d.prefillIO(seq); err != nil {
			return nil, fmt.Errorf("%s: prefill of %d positions: %w", d.name, seq, errors.Join(err, d.pre.destroy()))
		}
	}
	n := len(tokens)
	copy(d.pre.host[:n], tokens)
	for i := range n {
		d.pre.host[n+i] = int64(i % seq)
	}
	d.len, d.cur = 0, 0
	if err := d.run(&d.pre, d.pre.binding); err != nil {
		return nil, err
	}
	return d.pre.logits, nil
}

// Step implements backends.Decoder.
func (d *decoder) Step(tokens []int64) ([]float32, error) {
	if d.sess == nil {
		return nil, fmt.Errorf("%s: decoder step: %w", d.name, ort.ErrClosed)
	}
	if d.len == 0 {
		return nil, fmt.Errorf("%s: decoder step before prefill: %w", d.name, model.ErrBadShape)
	}
	if err := backends.CheckDecode(d.m, tokens, d.lay.Batch, 1, d.len, d.lay.MaxLen); err != nil {
		return nil, fmt.Errorf("%s: %w", d.name, err)
	}
	b := d.lay.Batch
	copy(d.step.host[:b], tokens)
	for i := range b {
		d.step.host[b+i] = int64(d.len)
	}
	if err := d.run(&d.step, d.bind[d.cur][d.len]); err != nil {
		return nil, err
	}
	return d.step.logits, nil
}

// Len implements backends.Decoder.
func (d *decoder) Len() int { return d.len }

// CacheBytes implements backends.Decoder: both device buffers.
func (d *decoder) CacheBytes() int64 { return 2 * 4 * int64(d.lay.BufferLen()) }

// Config implements backends.Decoder.
func (d *decoder) Config() [][2]string {
	return [][2]string{
		{"kv-cache-dtype", "float32"},
		{"kv-cache-positions", strconv.Itoa(d.lay.MaxLen)},
		{"kv-cache-placement", "cuda:" + strconv.Itoa(d.device)},
		{"kv-cache-buffers", "2 on the device (cudaMalloc): ORT reads the past from one and writes the present into the other"},
		{"kv-cache-step-copies", "input_ids and position_ids host to device, next-token logits device to host (cudaMemcpy)"},
		{"kv-decoder-onnx-sha256", d.dec.SHA256},
	}
}

// Close releases the bindings, values, device buffers and (if owned) the
// session. Closing twice is a no-op.
func (d *decoder) Close() error {
	var errs []error
	for c := range d.bind {
		for _, b := range d.bind[c] {
			if b != nil {
				errs = append(errs, b.Destroy())
			}
		}
		d.bind[c] = nil
	}
	errs = append(errs, d.step.destroy(), d.pre.destroy())
	for c := range d.views {
		for _, vs := range d.views[c] {
			for _, v := range vs {
				v.Destroy()
			}
		}
		d.views[c] = nil
		errs = append(errs, d.cache[c].Free())
		d.cache[c] = nil
	}
	for _, m := range d.masks {
		m.Destroy()
	}
	d.masks = nil
	errs = append(errs, d.ones.Free())
	d.ones = nil
	d.mem.Destroy()
	d.mem = nil
	if d.sess != nil && d.owned {
		errs = append(errs, d.sess.Destroy())
	}
	d.sess = nil
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("%s: closing decoder: %w", d.name, err)
	}
	return nil
}
