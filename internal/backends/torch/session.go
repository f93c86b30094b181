package torch

import (
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
}

// Prefill implements backends.Session: a round trip through the worker.
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
	s.last = d
	return nil
}

// LastForward implements ForwardTimer.
func (s *session) LastForward() time.Duration { return s.last }

// Config implements backends.Session.
func (s *session) Config() [][2]string {
	gpu := s.ready.GPU
	if gpu == "" {
		gpu = "none"
	}
	return [][2]string{
		{"torch-version", s.ready.Torch},
		{"torch-transformers", s.ready.Transformers},
		{"torch-mode", s.ready.Mode},
		{"torch-device", s.ready.Device},
		{"torch-gpu", gpu},
		{"torch-tf32", strconv.FormatBool(s.ready.TF32)},
		{"torch-threads", strconv.Itoa(s.ready.Threads)},
		{"torch-attn", "eager"},
		{"torch-python", s.python},
		{"torch-timing", "round trip through a pipe incl. logits to host; worker forward time via ForwardTimer"},
	}
}

// Close implements backends.Session: it ends the worker.
func (s *session) Close() error { return s.w.close(closeGrace) }
