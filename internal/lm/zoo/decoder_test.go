package zoo_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/lm/gpt2"
	"github.com/inferbench/inferbench/internal/lm/gpt2/graph"
	"github.com/inferbench/inferbench/internal/lm/onnx"
	"github.com/inferbench/inferbench/internal/lm/zoo"
)

func TestKVSignature(t *testing.T) {
	c := gpt2.Config{NLayer: 3, NHead: 2, NEmbd: 8, NPositions: 16, VocabSize: 11, LayerNormEpsilon: 1e-5}
	summary := func(opt graph.Options) *onnx.Info {
		g, err := graph.Build(c, gpt2.Seeded(c, 1), opt)
		if err != nil {
			t.Fatal(err)
		}
		info, err := g.Summary()
		if err != nil {
			t.Fatal(err)
		}
		return info
	}
	kv, prefill := summary(graph.Options{WithPast: true}), summary(graph.Options{})
	drop := func(vs []onnx.ValueInfo, name string) []onnx.ValueInfo {
		var out []onnx.ValueInfo
		for _, v := range vs {
			if v.Name != name {
				out = append(out, v)
			}
		}
		return out
	}
	dynamicHeads := append([]onnx.ValueInfo(nil), kv.Inputs...)
	for i, v := range dynamicHeads {
		if v.Name == model.PastKey(0) {
			dynamicHeads[i] = onnx.TensorInfo(v.Name, onnx.Float, "batch", "heads", "past", 4)
		}
	}
	tests := []struct {
		name         string
		inputs, outs []onnx.ValueInfo
		missing      string // "" = accepted
	}{
		{"decoder", kv.Inputs, kv.Outputs, ""},
		{"prefill graph", prefill.Inputs, prefill.Outputs, "input position_ids, input past_key_values.0.key"},
		{"no present", kv.Inputs, drop(kv.Outputs, model.PresentValue(2)), "output present.2.value"},
		{"no past value", drop(kv.Inputs, model.PastValue(1)), kv.Outputs, "input past_key_values.1.value"},
		{"dynamic heads", dynamicHeads, kv.Outputs, "static n_head and head_dim"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := zoo.KVSignature(tt.inputs, tt.outs)
			if tt.missing == "" {
				if err != nil {
					t.Fatal(err)
				}
				if d.Layers != 3 || d.Heads != 2 || d.HeadDim != 4 {
					t.Errorf("decoder %+v, want 3 layers of 2 heads × 4", d)
				}
				if got := d.CacheBytes(2, 10); got != 2*4*3*2*2*10*4 {
					t.Errorf("CacheBytes = %d", got)
				}
				return
			}
			if !errors.Is(err, model.ErrNoKVCache) || !strings.Contains(err.Error(), tt.missing) {
				t.Errorf("KVSignature = %v, want ErrNoKVCache naming %q", err, tt.missing)
			}
		})
	}
}

// The decoder of a zoo model is built once, next to its ONNX file.
func TestDecoderCached(t *testing.T) {
	dir := t.TempDir()
	m, err := zoo.Resolve("gpt2-tiny-seeded", zoo.Options{CacheDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	d1, err := zoo.Decoder(m)
	if err != nil {
		t.Fatal(err)
	}
	d2, err := zoo.Decoder(m)
	if err != nil {
		t.Fatal(err)
	}
	if d1.Path != d2.Path || d1.SHA256 != d2.SHA256 || len(d1.SHA256) != 64 || !strings.HasPrefix(d1.Path, dir) {
		t.Errorf("decoders %+v and %+v", d1, d2)
	}
	if d1.Layers != zoo.TinyConfig.NLayer || d1.Heads != zoo.TinyConfig.NHead {
		t.Errorf("decoder %+v", d1)
	}
	info, err := onnx.Inspect(d1.Path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := zoo.KVSignature(info.Inputs, info.Outputs); err != nil {
		t.Error(err)
	}
}
