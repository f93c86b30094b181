package graph_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/lm/gpt2"
	"github.com/inferbench/inferbench/internal/lm/gpt2/graph"
	"github.com/inferbench/inferbench/internal/lm/onnx"
)

// The decoder with a KV cache has optimum's signature, the same
// parameters as the prefill graph, and is deterministic.
func TestBuildWithPastSignature(t *testing.T) {
	w := gpt2.Seeded(small, 1)
	m, err := graph.Build(small, w, graph.Options{WithPast: true})
	if err != nil {
		t.Fatal(err)
	}
	info, err := m.Summary()
	if err != nil {
		t.Fatal(err)
	}
	wantIn := "input_ids INT64 [batch sequence]; attention_mask INT64 [batch past_sequence + sequence]; position_ids INT64 [batch sequence]; " +
		"past_key_values.0.key FLOAT [batch 2 past_sequence 4]; past_key_values.0.value FLOAT [batch 2 past_sequence 4]; " +
		"past_key_values.1.key FLOAT [batch 2 past_sequence 4]; past_key_values.1.value FLOAT [batch 2 past_sequence 4]"
	if got := renderValues(info.Inputs); got != wantIn {
		t.Errorf("inputs\n%s\nwant\n%s", got, wantIn)
	}
	wantOut := "logits FLOAT [batch sequence 11]; " +
		"present.0.key FLOAT [batch 2 past_sequence + sequence 4]; present.0.value FLOAT [batch 2 past_sequence + sequence 4]; " +
		"present.1.key FLOAT [batch 2 past_sequence + sequence 4]; present.1.value FLOAT [batch 2 past_sequence + sequence 4]"
	if got := renderValues(info.Outputs); got != wantOut {
		t.Errorf("outputs\n%s\nwant\n%s", got, wantOut)
	}
	if info.Params != small.ParamCount() {
		t.Errorf("decoder holds %d parameters, the config %d", info.Params, small.ParamCount())
	}
	again, err := graph.Build(small, gpt2.Seeded(small, 1), graph.Options{WithPast: true})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(m.Marshal(), again.Marshal()) {
		t.Error("two builds of the same decoder differ")
	}
	prefill, err := graph.Build(small, w, graph.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(m.Marshal(), prefill.Marshal()) {
		t.Error("decoder and prefill graph are the same bytes")
	}
	for _, p := range []model.Precision{model.FP16} {
		if _, err := graph.Build(small, w, graph.Options{Precision: p, WithPast: true}); err != nil {
			t.Errorf("%s decoder: %v", p, err)
		}
	}
	if _, err := graph.Build(small, w, graph.Options{WithPast: true, ExposeActivations: true}); err == nil {
		t.Error("a calibration graph with a KV cache was built")
	}
}

// renderValues renders graph inputs or outputs as "name TYPE [dims]; …".
func renderValues(vs []onnx.ValueInfo) string {
	var s []string
	for _, v := range vs {
		s = append(s, fmt.Sprintf("%s %v %v", v.Name, v.ElemType, v.Dims))
	}
	return strings.Join(s, "; ")
}
