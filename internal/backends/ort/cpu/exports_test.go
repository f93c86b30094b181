package cpu_test

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/internal/backends/ort/cpu"
	"github.com/inferbench/inferbench/internal/backends/ort/orttest"
	"github.com/inferbench/inferbench/internal/lm/zoo"
)

// TestRealExportsRun: the files PyTorch's two exporters made of a tiny
// GPT-2 (internal/lm/onnx/testdata/exports, with the script that made them)
// resolve as file: models and compute, on ort-cpu, the logits transformers
// computed for the same input (the first four of each position, to 1e-4,
// and every position's argmax).
func TestRealExportsRun(t *testing.T) {
	orttest.Require(t)
	dir := filepath.Join("..", "..", "..", "lm", "onnx", "testdata", "exports")
	raw, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	type output struct {
		LogitsHead [][]float64 `json:"logits_head"`
		Argmax     []int       `json:"argmax"`
	}
	var man struct {
		InputIDs []int64           `json:"input_ids"`
		Outputs  map[string]output `json:"outputs"`
	}
	if err := json.Unmarshal(raw, &man); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ file, outputs string }{
		{"gpt2-legacy-opset17.onnx", "gpt2"},
		{"gpt2-dynamo/model.onnx", "gpt2"},
		{"gpt2-perturbed-legacy-opset17.onnx", "gpt2-perturbed"},
		{"gpt2-perturbed-dynamo/model.onnx", "gpt2-perturbed"},
	} {
		t.Run(tt.file, func(t *testing.T) {
			want, ok := man.Outputs[tt.outputs]
			if !ok || len(want.Argmax) != len(man.InputIDs) {
				t.Fatalf("manifest has no outputs %q for %d tokens", tt.outputs, len(man.InputIDs))
			}
			m, err := zoo.Resolve(zoo.FilePrefix+filepath.Join(dir, tt.file), zoo.Options{CacheDir: t.TempDir()})
			if err != nil {
				t.Fatal(err)
			}
			s, err := cpu.Backend{}.Open(m, backends.Options{Threads: 1})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			seq := len(man.InputIDs)
			logits := make([]float32, m.LogitsLen(1, seq))
			if err := s.Prefill(man.InputIDs, 1, seq, logits); err != nil {
				t.Fatal(err)
			}
			for p := range seq {
				row := logits[p*m.Vocab : (p+1)*m.Vocab]
				for j, w := range want.LogitsHead[p] {
					if math.Abs(float64(row[j])-w) > 1e-4 {
						t.Errorf("position %d logit %d = %v, transformers %v", p, j, row[j], w)
					}
				}
				best := 0
				for j := range row {
					if row[j] > row[best] {
						best = j
					}
				}
				if best != want.Argmax[p] {
					t.Errorf("position %d argmax %d, transformers %d", p, best, want.Argmax[p])
				}
			}
		})
	}
}
