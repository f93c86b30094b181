package torch

import (
	"fmt"
	"strconv"
	"time"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
)

// session is one worker serving one model.
type session struct {
	name   string
	m      *model.Model
	w      *worker
	ready  Ready
	python string
	dir    string
	last   time.Duration
	// layers and width size the KV cache (CacheBytes).
	layers, width int
	// devBatch, devSeq: the shape of the last PrefillDevice (0: none).
	devBatch, devSeq int
	dec              *decoder // the open decoder; the worker holds one cache
}

var (
	_ backends.DeviceLogits = (*session)(nil)
	_ backends.Generator    = (*session)(nil)
)

// Prefill implements backends.Session: a round trip through the worker,
// the logits copied from the device into shared memory and from there
// into logits.
func (s *session) Prefill(tokens []int64, batch, seq int, logits []float32) error {
	if err := s.m.CheckInput(tokens, batch, seq); err != nil {
		return err
	}
	if err := backends.CheckLogits(s.m, batch, seq, logits); err != nil {
		return err
	}
	d, err := s.w.roundTrip(tokens, batch, seq, logits)
	if err != nil {
		return err
	}
	s.last, s.devBatch, s.devSeq = d, 0, 0
	return nil
}

// PrefillDevice implements backends.DeviceLogits: the worker answers with
// its timing alone and keeps the logits on its device.
func (s *session) PrefillDevice(tokens []int64, batch, seq int) error {
	if err := s.m.CheckInput(tokens, batch, seq); err != nil {
		return err
	}
	d, err := s.w.call(opPrefillDevice, batch, seq, 0, tokens, nil, nil)
	if err != nil {
		return err
	}
	s.last, s.devBatch, s.devSeq = d, batch, seq
	return nil
}

// CopyLogits implements backends.DeviceLogits.
func (s *session) CopyLogits(logits []float32) error {
	if s.devBatch == 0 {
		return fmt.Errorf("%s: no device prefill to copy logits from", s.name)
	}
	if err := backends.CheckLogits(s.m, s.devBatch, s.devSeq, logits); err != nil {
		return err
	}
	if err := s.w.ensure(len(logits)); err != nil {
		return err
	}
	_, err := s.w.call(opCopyLast, s.devBatch, s.devSeq, 0, nil, nil, logits)
	return err
}

// LastForward implements ForwardTimer.
func (s *session) LastForward() time.Duration { return s.last }

// Config implements backends.Session.
func (s *session) Config() [][2]string {
	gpu := s.ready.GPU
	if gpu == "" {
		gpu = "none"
	}
	cuda := s.ready.CUDA
	if cuda == "" {
		cuda = "none (a CPU build of torch)"
	}
	return [][2]string{
		{"torch-version", s.ready.Torch},
		{"torch-transformers", s.ready.Transformers},
		{"torch-cuda", cuda},
		{"torch-mode", s.ready.Mode},
		{"torch-device", s.ready.Device},
		{"torch-gpu", gpu},
		{"torch-dtype", s.ready.Dtype},
		{"torch-tf32", strconv.FormatBool(s.ready.TF32)},
		{"torch-threads", strconv.Itoa(s.ready.Threads)},
		{"torch-attn", s.ready.Attn},
		{"torch-mask", "none passed: transformers' all-ones default (its causal fast path)"},
		{"torch-grad", "torch.inference_mode; prefill with use_cache=False"},
		{"torch-python", s.python},
		{"torch-transport", s.w.transport()},
		{"torch-timing", "round trip through the worker; its own synchronized forward time via ForwardTimer"},
	}
}

// Close implements backends.Session: it ends the worker.
func (s *session) Close() error { return s.w.close(closeGrace) }

// Echo fills buf with zeros sent by s's worker from its device, with no
// model call: the transport alone (BenchmarkWorkerTransport). s must be a
// torch session.
func Echo(s backends.Session, buf []float32) error {
	ts, ok := s.(*session)
	if !ok {
		return fmt.Errorf("echo: %T is not a torch session", s)
	}
	if err := ts.w.ensure(len(buf)); err != nil {
		return err
	}
	_, err := ts.w.call(opEcho, 0, 0, uint32(len(buf)), nil, nil, buf)
	return err
}
