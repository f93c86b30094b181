package gpt2

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/inferbench/inferbench/internal/lm/safetensors"
)

var tiny = Config{NLayer: 2, NHead: 2, NEmbd: 8, NPositions: 6, VocabSize: 10, LayerNormEpsilon: 1e-5}

func equalWeights(t *testing.T, got, want *Weights, tol float64) {
	t.Helper()
	g, w := got.Tensors(), want.Tensors()
	if len(g) != len(w) {
		t.Fatalf("%d tensors, want %d", len(g), len(w))
	}
	for i := range g {
		if !slices.Equal(g[i].T.Shape, w[i].T.Shape) {
			t.Fatalf("%s: shape %v, want %v", g[i].Name, g[i].T.Shape, w[i].T.Shape)
		}
		for j, v := range g[i].T.Data {
			want := float64(w[i].T.Data[j])
			if d := math.Abs(float64(v) - want); d > tol*math.Max(math.Abs(want), 6.1e-5) {
				t.Fatalf("%s[%d] = %g, want %g", g[i].Name, j, v, want)
			}
		}
	}
}

func TestSafetensorsRoundTrip(t *testing.T) {
	w := Seeded(tiny, 1)
	for _, tt := range []struct {
		name string
		fp16 bool
		tol  float64
	}{
		{"fp32", false, 0},
		{"fp16", true, 1.0 / 2048}, // half a unit in the last place of binary16
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "model.safetensors")
			if err := WriteSafetensors(path, w, tt.fp16, map[string]string{"seed": "1"}); err != nil {
				t.Fatal(err)
			}
			got, err := ReadSafetensors(path, tiny)
			if err != nil {
				t.Fatal(err)
			}
			equalWeights(t, got, w, tt.tol)
			f, err := safetensors.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if f.Metadata["format"] != "pt" || f.Metadata["seed"] != "1" {
				t.Errorf("metadata %v", f.Metadata)
			}
		})
	}
}

// writeNamed writes w's tensors as F32 under rename(name), plus extra
// tensors; rename returning "" drops a tensor.
func writeNamed(t *testing.T, w *Weights, rename func(string) string, extra ...safetensors.Tensor) string {
	t.Helper()
	return writeEncoded(t, w, rename, safetensors.Float32Tensor, extra...)
}

func writeEncoded(t *testing.T, w *Weights, rename func(string) string,
	encode func(string, []int64, []float32) safetensors.Tensor, extra ...safetensors.Tensor) string {
	t.Helper()
	var ts []safetensors.Tensor
	for _, nt := range w.Tensors() {
		name := rename(nt.Name)
		if name == "" {
			continue
		}
		shape := make([]int64, len(nt.T.Shape))
		for i, d := range nt.T.Shape {
			shape[i] = int64(d)
		}
		ts = append(ts, encode(name, shape, nt.T.Data))
	}
	path := filepath.Join(t.TempDir(), "model.safetensors")
	if err := safetensors.WriteFile(path, append(ts, extra...), nil); err != nil {
		t.Fatal(err)
	}
	return path
}

func same(s string) string { return s }

func drop(name string) func(string) string {
	return func(s string) string {
		if s == name {
			return ""
		}
		return s
	}
}

func TestReadSafetensorsLayouts(t *testing.T) {
	w := Seeded(tiny, 2)
	d, v := int64(tiny.NEmbd), int64(tiny.VocabSize)
	causal := safetensors.Float32Tensor("h.0.attn.bias", []int64{1, 1, 6, 6}, make([]float32, 36))
	fill := safetensors.Float32Tensor("transformer.h.1.attn.masked_bias", nil, []float32{-1e4})
	tests := []struct {
		name   string
		rename func(string) string
		extra  []safetensors.Tensor
		want   string // "" for success, else a substring of the error
	}{
		{"plain", same, nil, ""},
		{"prefixed", func(s string) string { return prefix + s }, nil, ""},
		{"buffers ignored", same, []safetensors.Tensor{causal, fill}, ""},
		{"tied lm_head", same, []safetensors.Tensor{safetensors.Float32Tensor(lmHead, []int64{v, d}, w.WTE.Data)}, ""},
		{"untied lm_head", same, []safetensors.Tensor{safetensors.Float32Tensor(lmHead, []int64{v, d}, make([]float32, v*d))}, "differs from wte.weight"},
		{"lm_head shape", same, []safetensors.Tensor{safetensors.Float32Tensor(lmHead, []int64{d, v}, w.WTE.Data)}, "lm_head.weight has shape [8 10], want [10 8]"},
		{"missing", drop("h.1.mlp.c_fc.bias"), nil, "missing tensor h.1.mlp.c_fc.bias"},
		{"unexpected", same, []safetensors.Tensor{safetensors.Float32Tensor("h.2.ln_1.weight", []int64{d}, make([]float32, d))}, "unexpected tensors h.2.ln_1.weight"},
		{"duplicate", same, []safetensors.Tensor{safetensors.Float32Tensor(prefix+"ln_f.bias", []int64{d}, make([]float32, d))}, "are both ln_f.bias"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeNamed(t, w, tt.rename, tt.extra...)
			got, err := ReadSafetensors(path, tiny)
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				equalWeights(t, got, w, 0)
				return
			}
			if !errors.Is(err, ErrWeights) || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), path) {
				t.Fatalf("ReadSafetensors = %v, want ErrWeights naming %s and %q", err, path, tt.want)
			}
		})
	}
}

func TestReadSafetensorsBFloat16(t *testing.T) {
	w := Seeded(tiny, 6)
	path := writeEncoded(t, w, same, safetensors.BFloat16Tensor)
	got, err := ReadSafetensors(path, tiny)
	if err != nil {
		t.Fatal(err)
	}
	equalWeights(t, got, w, 1.0/256) // half a unit in the last place of bfloat16
}

func TestReadSafetensorsWrongShape(t *testing.T) {
	w := Seeded(tiny, 3)
	path := writeNamed(t, w, same)
	other := tiny
	other.NEmbd = 4
	_, err := ReadSafetensors(path, other)
	if !errors.Is(err, ErrWeights) {
		t.Fatalf("ReadSafetensors = %v, want ErrWeights", err)
	}
	if want := "tensor wte.weight has shape [10 8], want [10 4]"; !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), path) {
		t.Errorf("error %q does not name %s and %q", err, path, want)
	}
}

func TestReadSafetensorsTruncated(t *testing.T) {
	path := writeNamed(t, Seeded(tiny, 4), same)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data[:len(data)-10], 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = ReadSafetensors(path, tiny)
	if err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("ReadSafetensors(truncated) = %v, want an error naming %s", err, path)
	}
	if _, err := ReadSafetensors(filepath.Join(t.TempDir(), "absent.safetensors"), tiny); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("ReadSafetensors(absent) = %v, want ErrNotExist", err)
	}
}

func TestLoadDir(t *testing.T) {
	dir := t.TempDir()
	w := Seeded(tiny, 5)
	cfg, err := json.Marshal(tiny)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ConfigFile), cfg, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteSafetensors(filepath.Join(dir, WeightsFile), w, false, nil); err != nil {
		t.Fatal(err)
	}
	c, got, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if c != tiny {
		t.Errorf("config %+v, want %+v", c, tiny)
	}
	equalWeights(t, got, w, 0)
	if err := os.Remove(filepath.Join(dir, WeightsFile)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := LoadDir(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("LoadDir without weights = %v, want ErrNotExist", err)
	}
}
