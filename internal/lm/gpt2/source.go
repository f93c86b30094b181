package gpt2

import "github.com/inferbench/inferbench/backends/model"

// Source is a GPT-2 model's Go form, its configuration and weights. It is
// the model.Source of every model inferbench can rebuild (variants, the
// ONNX builder) and run in Go (the reference backend, the torch worker's
// export): package model knows no architecture, the architecture knows
// package model.
type Source struct {
	Config  Config
	Weights *Weights
}

var _ model.Source = (*Source)(nil)

// Family implements model.Source.
func (*Source) Family() string { return "gpt2" }

// Of returns m's GPT-2 source; ok is false when m has none (a foreign ONNX
// file, or a model of another family).
func Of(m *model.Model) (s *Source, ok bool) {
	s, ok = m.Source.(*Source)
	if !ok || s == nil || s.Weights == nil {
		return nil, false
	}
	return s, true
}
