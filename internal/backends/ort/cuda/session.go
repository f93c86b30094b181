//go:build cuda

package cuda

import (
	"errors"
	"fmt"
	"strconv"

	ortgo "github.com/yalue/onnxruntime_go"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/backends/ort"
	"github.com/inferbench/inferbench/internal/backends/ort/capi"
	"github.com/inferbench/inferbench/internal/backends/ort/gpulib"
	"github.com/inferbench/inferbench/internal/backends/ort/variant"
)

// MaxShapes is how many (batch, seq) shapes a session keeps bound. A
// graph session captures one CUDA graph per shape and never evicts one
// (ORT keeps captured graphs for the session's life); other sessions
// evict the least recently used shape.
const MaxShapes = 16

// Session is a CUDA session whose inputs and output live in device memory
// allocated once per shape (cudaMalloc) and bound once: a timed Prefill
// copies the token ids in (gpulib.CopyIn, complete on the device before
// ORT runs), runs ORT on the binding and, for host logits, copies the
// logits out, and allocates nothing. With CUDA graphs on, each shape has
// its own run options with its own "gpu_graph_id", so ORT captures and
// replays one graph per shape at fixed device addresses, and every ORT
// call runs on one locked OS thread (osThread: ORT keeps graphs per
// thread).
//
// A graph session offers only those paths: PrefillRows, BareRunner and
// NewDecoder (which the embedded ort.Session would serve from host
// tensors, other bindings and graph id 0, so that ORT would replay a graph
// captured for another call's addresses) return errors wrapping
// backends.ErrUnavailable, and callers fall back to Prefill, the path
// benchmarks time.
type Session struct {
	*variant.Session
	name   string
	raw    capi.Session
	mem    *capi.MemInfo
	device int
	graph  bool
	slots  []*slot
	clock  uint64
	nextID int
	last   *slot // the slot of the last run, for CopyLogits
	config [][2]string

	// Graph sessions: the thread every ORT call runs on, the arguments of
	// the call being made, and the function that runs it (made once, so
	// that a call allocates nothing).
	thread *osThread
	arg    call
	runArg func() error
}

// call is one prefill's arguments; logits nil leaves them on the device.
type call struct {
	tokens     []int64
	batch, seq int
	logits     []float32
}

// Reasons a graph session gives for the paths it does not offer.
const (
	GraphNoRows = "row prefill is not offered with CUDA graphs (it would run another graph on host tensors " +
		"with one graph id for every shape); prefill whole sequences"
	GraphNoBareRunner = "the bare runner is not offered with CUDA graphs (plain Run on host tensors, " +
		"whose addresses a captured graph does not follow)"
)

var (
	_ backends.Session      = (*Session)(nil)
	_ backends.Degrader     = (*Session)(nil)
	_ backends.DeviceLogits = (*Session)(nil)
	_ backends.Generator    = (*Session)(nil) // a device-resident KV cache: decoder.go
	_ backends.RowPrefiller = (*Session)(nil) // refused by graph sessions
)

// deviceError is a CUDA runtime call failing while a session is set up:
// the GPU cannot be used.
type deviceError struct{ err error }

func (e *deviceError) Error() string { return e.err.Error() }
func (e *deviceError) Unwrap() error { return e.err }

type slot struct {
	batch, seq      int
	ids, mask, out  *gpulib.DeviceBuffer
	vIDs, vMask, vO *capi.Value
	binding         *ortgo.IoBinding
	run             *capi.RunOptions
	used            uint64
}

func newSession(name string, vs *variant.Session, device int, graph bool) (*Session, error) {
	if err := capi.Load(ort.LibraryPath()); err != nil {
		return nil, err
	}
	if err := gpulib.LoadCUDARuntime(); err != nil {
		return nil, &deviceError{err}
	}
	raw := capi.SessionOf(vs.ORT())
	if err := capi.CheckSession(raw, 2, 1); err != nil {
		return nil, err
	}
	mem, err := capi.CUDAMemInfo(device)
	if err != nil {
		return nil, err
	}
	s := &Session{Session: vs, name: name, raw: raw, mem: mem, device: device, graph: graph}
	if graph {
		s.thread = newOSThread()
		s.runArg = func() error { return s.run(s.arg) }
	}
	io := "device buffers (cudaMalloc) bound once per shape; token ids copied in with cudaMemcpy, then the legacy stream synchronized"
	s.config = [][2]string{{"ort-cuda-io", io}, {"ort-cuda-logits-copy", "cudaMemcpy device to pageable host buffer (host logits)"}}
	if graph {
		s.config = append(s.config, [2]string{"ort-cuda-graphs", "one per shape (run option gpu_graph_id), captured on a shape's first runs"},
			[2]string{"ort-cuda-graph-thread", "every ORT call on one locked OS thread (ORT keeps graphs per thread)"})
	}
	libs, err := gpulib.Loaded(gpulib.NVIDIA...)
	if err != nil {
		s.config = append(s.config, [2]string{"ort-loaded-libraries", "unknown: " + err.Error()})
	} else {
		s.config = append(s.config, gpulib.ConfigLines("ort-loaded-", libs)...)
	}
	return s, nil
}

// Config implements backends.Session.
func (s *Session) Config() [][2]string { return append(s.Session.Config(), s.config...) }

// Prefill implements backends.Session: the logits end in the caller's
// host buffer.
func (s *Session) Prefill(tokens []int64, batch, seq int, logits []float32) error {
	if err := backends.CheckLogits(s.Model, batch, seq, logits); err != nil {
		return err
	}
	return s.dispatch(call{tokens, batch, seq, logits})
}

// PrefillDevice implements backends.DeviceLogits: the logits stay in the
// shape's device buffer.
func (s *Session) PrefillDevice(tokens []int64, batch, seq int) error {
	return s.dispatch(call{tokens, batch, seq, nil})
}

// dispatch runs c, on the session's OS thread for a graph session.
func (s *Session) dispatch(c call) error {
	if s.mem == nil {
		return fmt.Errorf("%s: prefill: %w", s.name, ort.ErrClosed)
	}
	if s.thread == nil {
		return s.run(c)
	}
	s.arg = c
	err := s.thread.do(s.runArg)
	s.arg = call{}
	return err
}

// run copies c's tokens into their shape's device buffer, runs ORT on the
// shape's binding and, when c has host logits, copies the logits out.
func (s *Session) run(c call) error {
	if err := s.Model.CheckInput(c.tokens, c.batch, c.seq); err != nil {
		return err
	}
	sl, err := s.get(c.batch, c.seq)
	if err != nil {
		return fmt.Errorf("%s: %w", s.name, err)
	}
	if err := gpulib.CopyIn(sl.ids, c.tokens); err != nil {
		return fmt.Errorf("%s: %w", s.name, err)
	}
	if err := capi.Run(s.raw, sl.run, capi.BindingOf(sl.binding)); err != nil {
		return fmt.Errorf("%s: model %s, batch %d × seq %d: %w", s.name, s.Model.Identity.Name, c.batch, c.seq, err)
	}
	s.last = sl
	if c.logits == nil {
		return nil
	}
	if err := gpulib.CopyOut(c.logits, sl.out); err != nil {
		return fmt.Errorf("%s: %w", s.name, err)
	}
	return nil
}

// CopyLogits implements backends.DeviceLogits.
func (s *Session) CopyLogits(logits []float32) error {
	if s.last == nil {
		return fmt.Errorf("%s: no prefill to copy logits from", s.name)
	}
	if err := backends.CheckLogits(s.Model, s.last.batch, s.last.seq, logits); err != nil {
		return err
	}
	return gpulib.CopyOut(logits, s.last.out)
}

// PrefillRows implements backends.RowPrefiller: the ORT session's row
// prefill (ort.Session.PrefillRows) for a session without CUDA graphs; a
// graph session refuses with GraphNoRows, wrapping backends.ErrUnavailable,
// and callers (the accuracy pass) prefill whole sequences instead.
func (s *Session) PrefillRows(tokens []int64, batch, seq, from int, logits []float32) error {
	if s.graph {
		return backends.Unavailable(s.name, "%s", GraphNoRows)
	}
	return s.Session.PrefillRows(tokens, batch, seq, from, logits)
}

// BareRunner is ort.Session.BareRunner for a session without CUDA graphs;
// a graph session refuses with GraphNoBareRunner, wrapping
// backends.ErrUnavailable.
func (s *Session) BareRunner(tokens []int64, batch, seq int, logits []float32) (func() error, error) {
	if s.graph {
		return nil, backends.Unavailable(s.name, "%s", GraphNoBareRunner)
	}
	return s.Session.BareRunner(tokens, batch, seq, logits)
}

func (s *Session) get(batch, seq int) (*slot, error) {
	s.clock++
	for _, sl := range s.slots {
		if sl.batch == batch && sl.seq == seq {
			sl.used = s.clock
			return sl, nil
		}
	}
	if len(s.slots) == MaxShapes {
		if s.graph {
			return nil, fmt.Errorf("a CUDA graph session holds at most %d shapes (one captured graph each); open a new session", MaxShapes)
		}
		lru := 0
		for i, sl := range s.slots {
			if sl.used < s.slots[lru].used {
				lru = i
			}
		}
		s.slots[lru].destroy()
		s.slots = append(s.slots[:lru], s.slots[lru+1:]...)
	}
	sl, err := s.newSlot(batch, seq)
	if err != nil {
		return nil, err
	}
	sl.used = s.clock
	s.slots = append(s.slots, sl)
	return sl, nil
}

func (s *Session) newSlot(batch, seq int) (sl *slot, err error) {
	sl = &slot{batch: batch, seq: seq}
	defer func() {
		if err != nil {
			sl.destroy()
		}
	}()
	n := uintptr(batch * seq)
	logits := uintptr(s.Model.LogitsLen(batch, seq))
	if sl.ids, err = gpulib.Malloc(s.device, 8*n); err != nil {
		return nil, err
	}
	if sl.mask, err = gpulib.Malloc(s.device, 8*n); err != nil {
		return nil, err
	}
	if sl.out, err = gpulib.Malloc(s.device, 4*logits); err != nil {
		return nil, err
	}
	ones := make([]int64, n)
	for i := range ones {
		ones[i] = 1
	}
	if err = gpulib.CopyIn(sl.mask, ones); err != nil {
		return nil, err
	}
	shape := []int64{int64(batch), int64(seq)}
	if sl.vIDs, err = capi.NewTensor(s.mem, sl.ids.Ptr, sl.ids.Bytes, shape, capi.Int64); err != nil {
		return nil, err
	}
	if sl.vMask, err = capi.NewTensor(s.mem, sl.mask.Ptr, sl.mask.Bytes, shape, capi.Int64); err != nil {
		return nil, err
	}
	outShape := []int64{int64(batch), int64(seq), int64(s.Model.Vocab)}
	if sl.vO, err = capi.NewTensor(s.mem, sl.out.Ptr, sl.out.Bytes, outShape, capi.Float32); err != nil {
		return nil, err
	}
	if sl.binding, err = s.ORT().CreateIoBinding(); err != nil {
		return nil, fmt.Errorf("creating I/O binding: %w", err)
	}
	b := capi.BindingOf(sl.binding)
	if err = capi.BindInput(b, model.InputIDs, sl.vIDs); err != nil {
		return nil, err
	}
	if err = capi.BindInput(b, model.AttentionMask, sl.vMask); err != nil {
		return nil, err
	}
	if err = capi.BindOutput(b, model.Logits, sl.vO); err != nil {
		return nil, err
	}
	if s.graph {
		s.nextID++
		if sl.run, err = capi.NewRunOptions([][2]string{{"gpu_graph_id", strconv.Itoa(s.nextID)}}); err != nil {
			return nil, err
		}
	}
	return sl, nil
}

func (sl *slot) destroy() error {
	var errs []error
	if sl.binding != nil {
		errs = append(errs, sl.binding.Destroy())
	}
	sl.run.Destroy()
	sl.vIDs.Destroy()
	sl.vMask.Destroy()
	sl.vO.Destroy()
	errs = append(errs, sl.ids.Free(), sl.mask.Free(), sl.out.Free())
	*sl = slot{}
	return errors.Join(errs...)
}

// Close implements backends.Session: the bindings and device buffers,
// then the ORT session (on the graph thread, which then ends). Closing
// twice is a no-op.
func (s *Session) Close() error {
	if s.mem == nil {
		return nil
	}
	var err error
	if s.thread == nil {
		err = s.close()
	} else {
		err = s.thread.do(s.close)
		s.thread.stop()
		s.thread = nil
	}
	return err
}

func (s *Session) close() error {
	var errs []error
	for _, sl := range s.slots {
		errs = append(errs, sl.destroy())
	}
	s.slots, s.last = nil, nil
	s.mem.Destroy()
	s.mem = nil
	errs = append(errs, s.Session.Close())
	return errors.Join(errs...)
}
