package graph_test

import (
	"bytes"
	"testing"

	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/lm/gpt2"
	"github.com/inferbench/inferbench/internal/lm/gpt2/graph"
)

// TestBuildRowsSignature: the row-prefill graph takes logits_from besides
// the prefill inputs, outputs logits of sequence − logits_from rows, holds
// the same parameters, is deterministic, differs from the prefill graph,
// and exists at every precision but as a decoder or calibration graph.
func TestBuildRowsSignature(t *testing.T) {
	w := gpt2.Seeded(small, 1)
	m, err := graph.Build(small, w, graph.Options{LogitsFrom: true})
	if err != nil {
		t.Fatal(err)
	}
	info, err := m.Summary()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := renderValues(info.Inputs), "input_ids INT64 [batch sequence]; attention_mask INT64 [batch sequence]; logits_from INT64 [1]"; got != want {
		t.Errorf("inputs %s, want %s", got, want)
	}
	if got, want := renderValues(info.Outputs), "logits FLOAT [batch sequence - logits_from 11]"; got != want {
		t.Errorf("outputs %s, want %s", got, want)
	}
	if info.Params != small.ParamCount() {
		t.Errorf("row-prefill graph holds %d parameters, the config %d", info.Params, small.ParamCount())
	}
	again, err := graph.Build(small, gpt2.Seeded(small, 1), graph.Options{LogitsFrom: true})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(m.Marshal(), again.Marshal()) {
		t.Error("two builds of the same row-prefill graph differ")
	}
	prefill, err := graph.Build(small, w, graph.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(m.Marshal(), prefill.Marshal()) {
		t.Error("row-prefill and prefill graph are the same bytes")
	}
	if _, err := graph.Build(small, w, graph.Options{Precision: model.FP16, LogitsFrom: true}); err != nil {
		t.Errorf("fp16 row-prefill graph: %v", err)
	}
	for _, opt := range []graph.Options{{LogitsFrom: true, WithPast: true}, {LogitsFrom: true, ExposeActivations: true}} {
		if _, err := graph.Build(small, w, opt); err == nil {
			t.Errorf("built a row-prefill graph with %+v", opt)
		}
	}
}
