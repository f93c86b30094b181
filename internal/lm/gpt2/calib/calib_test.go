package calib_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/inferbench/inferbench/internal/lm/corpus"
	"github.com/inferbench/inferbench/internal/lm/gpt2"
	"github.com/inferbench/inferbench/internal/lm/gpt2/calib"
	"github.com/inferbench/inferbench/internal/lm/gpt2/graph"
	"github.com/inferbench/inferbench/internal/lm/onnx"
)

// small has GPT-2's vocabulary, so any text tokenizes into it, and little
// else.
var small = gpt2.Config{NLayer: 2, NHead: 2, NEmbd: 16, NPositions: 64, VocabSize: gpt2.VocabGPT2, LayerNormEpsilon: 1e-5}

func text(t *testing.T) *corpus.Corpus {
	t.Helper()
	c, err := corpus.New("test", "test.txt", strings.Repeat("Light is refracted by the prism into colours. ", 40))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// fakeRun is a Runner that checks the graph it is given names every
// requested output and emits, for each window token, three values per
// output: the token id times (output+1), negated, and zero. The reductions
// then have known results.
func fakeRun(t *testing.T) calib.Runner {
	return func(data []byte, outputs []string, batches [][][]int64, observe func(int, []float32) error) error {
		g, err := onnx.Unmarshal(data)
		if err != nil {
			t.Errorf("runner got an undecodable graph: %v", err)
			return err
		}
		have := map[string]bool{}
		for _, o := range g.Graph.Outputs {
			have[o.Name] = true
		}
		for _, name := range outputs {
			if !have[name] {
				t.Errorf("runner asked for output %s the graph lacks", name)
			}
		}
		for _, rows := range batches {
			if len(rows) > calib.Batch {
				t.Errorf("batch of %d windows, at most %d", len(rows), calib.Batch)
			}
			for i := range outputs {
				var v []float32
				for _, row := range rows {
					for _, tok := range row {
						x := float32(tok) * float32(i+1)
						v = append(v, x, -x, 0)
					}
				}
				if err := observe(i, v); err != nil {
					return err
				}
			}
		}
		return nil
	}
}

// TestCalibrate checks what Calibrate does around the runner: one
// observation per exposed quantization point, every window's values
// counted, minmax ranges exactly the values seen. (The ONNX Runtime runner
// is checked in internal/backends/ort.)
func TestCalibrate(t *testing.T) {
	w := gpt2.Seeded(small, 3)
	c := text(t)
	toks, err := c.Tokens()
	if err != nil {
		t.Fatal(err)
	}
	opt := calib.Options{Windows: 5, Length: 16, Corpus: c, Run: fakeRun(t)}
	wins, err := calib.Windows(toks, 5, 16)
	if err != nil {
		t.Fatal(err)
	}
	var top int64
	for _, win := range wins {
		top = max(top, slices.Max(win))
	}
	res, err := calib.Calibrate(small, w, opt)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(res.Points), 4*small.NLayer; got != want {
		t.Fatalf("%d quantization points, want %d (4 Conv1D per block)", got, want)
	}
	for i, p := range res.Points {
		if want := int64(5 * 16 * 3); p.Count != want {
			t.Errorf("%s: %d values, want 5 windows × 16 tokens × 3 = %d", p.Tensor, p.Count, want)
		}
		hi := float32(top) * float32(i+1)
		if p.Min != -hi || p.Max != hi || p.Range != (graph.Range{Min: -hi, Max: hi}) {
			t.Errorf("%s: seen [%v, %v], range %+v; want ±%v", p.Tensor, p.Min, p.Max, p.Range, hi)
		}
		if res.Ranges[p.Tensor] != p.Range {
			t.Errorf("%s: Ranges and Points disagree", p.Tensor)
		}
	}
}

func TestCalibrateErrors(t *testing.T) {
	w := gpt2.Seeded(small, 3)
	tests := []struct {
		name string
		opt  calib.Options
	}{
		{"method", calib.Options{Method: "kl"}},
		{"percentile", calib.Options{Percentile: 40}},
		{"percentile with minmax", calib.Options{Method: calib.MinMax, Percentile: 99}},
		{"windows", calib.Options{Windows: -1}},
		{"too long", calib.Options{Length: 64, Windows: 1}}, // the test text is shorter
		{"no runner", calib.Options{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opt.Corpus = text(t)
			want := calib.ErrOptions
			if tt.name == "no runner" {
				want = calib.ErrNoRunner
			} else {
				tt.opt.Run = fakeRun(t)
			}
			if tt.name == "too long" {
				c, err := corpus.New("short", "short.txt", "Of the reflexions of light.")
				if err != nil {
					t.Fatal(err)
				}
				tt.opt.Corpus = c
			}
			if _, err := calib.Calibrate(small, w, tt.opt); !errors.Is(err, want) {
				t.Errorf("Calibrate = %v, want %v", err, want)
			}
		})
	}
}

func TestOptionsIdentity(t *testing.T) {
	c := text(t)
	def, err := calib.Options{Corpus: c}.Resolve(1024)
	if err != nil {
		t.Fatal(err)
	}
	if def.Method != calib.MinMax || def.Windows != 32 || def.Length != 128 {
		t.Errorf("defaults %+v", def)
	}
	capped, err := calib.Options{Corpus: c}.Resolve(64)
	if err != nil {
		t.Fatal(err)
	}
	if capped.Length != 64 {
		t.Errorf("length %d not capped at n_positions 64", capped.Length)
	}
	d := def.Describe()
	want := map[string]string{
		"calibration-method":        "minmax",
		"calibration-samples":       "32x128",
		"calibration-tokens":        "4096",
		"calibration-corpus-sha256": c.SHA256,
	}
	for k, v := range want {
		if d[k] != v {
			t.Errorf("Describe()[%s] = %q, want %q", k, d[k], v)
		}
	}
	pc, err := calib.Options{Method: calib.Percentile, Corpus: c}.Resolve(1024)
	if err != nil {
		t.Fatal(err)
	}
	if pc.MethodName() != "percentile-99.99" || pc.Key() == def.Key() {
		t.Errorf("percentile: name %q, key %q (minmax key %q)", pc.MethodName(), pc.Key(), def.Key())
	}
	if def.Key() == capped.Key() {
		t.Error("different lengths give the same key")
	}
}

func TestDefaultCorpusIsTrainPart(t *testing.T) {
	held, err := corpus.Heldout()
	if err != nil {
		t.Skipf("default corpus unavailable: %v", err)
	}
	o, err := calib.Options{}.Resolve(1024)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(o.Corpus.Name, "[train]") || o.Corpus.SHA256 == held.SHA256 {
		t.Fatalf("default calibration corpus %s (sha256 %s), evaluation corpus %s", o.Corpus.Name, o.Corpus.SHA256, held.Name)
	}
	// Disjoint: the held-out text follows the train text, no overlap.
	if strings.Contains(o.Corpus.Text, held.Text[:200]) {
		t.Error("calibration text contains the start of the evaluation text")
	}
}
