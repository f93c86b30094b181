package ort

import (
	"fmt"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
)

var _ backends.RowPrefiller = (*Session)(nil)

// rowsInputs are the row-prefill graph's inputs (package gpt2/graph,
// rows.go).
var rowsInputs = []string{model.InputIDs, model.AttentionMask, model.LogitsFrom}

// PrefillRows implements backends.RowPrefiller. The first call opens a
// second ONNX Runtime session, with the same options, on the model's
// row-prefill graph (Options.Rows resolves it; backends pass zoo.Rows,
// which builds it next to the model's file at the model's precision); the
// graph slices the hidden states to positions from … seq−1 before the
// final LayerNorm and LM head. As in Prefill, each shape's tensors and
// binding are kept, and ORT writes the logits straight into the caller's
// buffer. A model without Go weights (a foreign ONNX file) or a backend
// without Options.Rows has no such graph: the error wraps
// backends.ErrUnavailable, and callers prefill whole sequences instead.
func (s *Session) PrefillRows(tokens []int64, batch, seq, from int, logits []float32) error {
	if s.sess == nil {
		return fmt.Errorf("%s: prefill rows: %w", s.backend, ErrClosed)
	}
	if err := s.m.CheckInput(tokens, batch, seq); err != nil {
		return err
	}
	if err := backends.CheckRowLogits(s.m, batch, seq, from, logits); err != nil {
		return err
	}
	if s.rows == nil {
		if err := s.openRows(); err != nil {
			return err
		}
	}
	b, err := s.rowsCache.get(s.rows, batch, seq, from, true, logits)
	if err != nil {
		return fmt.Errorf("%s: %w", s.backend, err)
	}
	if err := s.runBound(s.rows, b, tokens); err != nil {
		return fmt.Errorf("%s: model %s, batch %d × seq %d from row %d: %w", s.backend, s.m.Identity.Name, batch, seq, from, err)
	}
	return nil
}

// openRows opens the session on the model's row-prefill graph.
func (s *Session) openRows() error {
	switch {
	case s.opts.Rows == nil:
		return backends.Unavailable(s.backend, "no row-prefill graph resolver (Options.Rows)")
	case s.m.Source == nil || s.kv != nil:
		return backends.Unavailable(s.backend, "model %s has no Go weights to build a row-prefill graph from (foreign ONNX file)", s.m.Identity.Name)
	}
	path, err := s.opts.Rows(s.m)
	if err != nil {
		return fmt.Errorf("%s: %w", s.backend, err)
	}
	if s.rows, err = openSideSession(path, rowsInputs, outputNames, s.opts); err != nil {
		return fmt.Errorf("%s: row-prefill graph: %w", s.backend, err)
	}
	return nil
}
