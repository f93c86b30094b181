package ort_test

import (
	"errors"
	"math"
	"os"
	"strings"
	"testing"

	ortgo "github.com/yalue/onnxruntime_go"

	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/backends/ort"
	"github.com/inferbench/inferbench/internal/backends/ort/orttest"
)

func testOptions() ort.Options {
	return ort.Options{
		IntraOpThreads:    1,
		InterOpThreads:    1,
		ExecutionMode:     ortgo.ExecutionModeSequential,
		GraphOptimization: ortgo.GraphOptimizationLevelEnableAll,
		CPUMemArena:       true,
		MemPattern:        true,
	}
}

func open(t testing.TB, m *model.Model, o ort.Options) *ort.Session {
	t.Helper()
	orttest.Require(t)
	s, err := ort.Open("ort-test", m, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	return s
}

// poisoned returns a logits buffer full of NaN, so an unwritten element
// cannot pass for a computed one.
func poisoned(n int) []float32 {
	l := make([]float32, n)
	for i := range l {
		l[i] = float32(math.NaN())
	}
	return l
}

func checkLogits(t *testing.T, tokens []int64, got []float32) {
	t.Helper()
	want := orttest.TinyLogits(tokens)
	if len(got) != len(want) {
		t.Fatalf("%d logits, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] { // NaN != anything
			t.Fatalf("logits[%d] (token %d, column %d) = %v, want %v", i, i/orttest.TinyVocab, i%orttest.TinyVocab, got[i], want[i])
		}
	}
}

func TestPrefillLogits(t *testing.T) {
	for _, rebind := range []bool{false, true} {
		name := map[bool]string{false: "bound-once", true: "rebind"}[rebind]
		t.Run(name, func(t *testing.T) {
			o := testOptions()
			o.RebindInputs = rebind
			m := orttest.Tiny(t)
			s := open(t, m, o)
			// Shapes cycle through more than the session caches, and the
			// same shape comes back with new tokens and a new buffer.
			shapes := [][2]int{{1, 1}, {2, 3}, {1, 8}, {3, 2}, {4, 1}, {2, 3}, {1, 5}, {2, 3}}
			for i, sh := range shapes {
				batch, seq := sh[0], sh[1]
				tokens := make([]int64, batch*seq)
				for j := range tokens {
					tokens[j] = int64((i*5 + j*3) % orttest.TinyVocab)
				}
				logits := poisoned(m.LogitsLen(batch, seq))
				for range 2 { // a miss, then a hit on the same buffer with new tokens
					if err := s.Prefill(tokens, batch, seq, logits); err != nil {
						t.Fatalf("batch %d × seq %d: %v", batch, seq, err)
					}
					checkLogits(t, tokens, logits)
					for j := range tokens {
						tokens[j] = (tokens[j] + 1) % orttest.TinyVocab
					}
					for j := range logits {
						logits[j] = float32(math.NaN())
					}
				}
			}
		})
	}
}

func TestPrefillErrors(t *testing.T) {
	m := orttest.Tiny(t)
	s := open(t, m, testOptions())
	long := orttest.TinyPositions + 1
	tests := []struct {
		name       string
		tokens     []int64
		batch, seq int
		logits     int
		want       error
	}{
		{"longer than n_positions", make([]int64, long), 1, long, m.LogitsLen(1, long), model.ErrTooLong},
		{"token out of vocabulary", []int64{0, orttest.TinyVocab}, 1, 2, m.LogitsLen(1, 2), model.ErrBadToken},
		{"negative token", []int64{-1}, 1, 1, m.LogitsLen(1, 1), model.ErrBadToken},
		{"tokens do not fit shape", []int64{1, 2, 3}, 1, 2, m.LogitsLen(1, 2), model.ErrBadShape},
		{"zero batch", nil, 0, 2, 0, model.ErrBadShape},
		{"short logits buffer", []int64{1, 2}, 1, 2, m.LogitsLen(1, 2) - 1, model.ErrBadShape},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.Prefill(tt.tokens, tt.batch, tt.seq, make([]float32, tt.logits))
			if !errors.Is(err, tt.want) {
				t.Errorf("Prefill = %v, want %v", err, tt.want)
			}
		})
	}
	if _, err := s.BareRunner(make([]int64, long), 1, long, make([]float32, m.LogitsLen(1, long))); !errors.Is(err, model.ErrTooLong) {
		t.Errorf("BareRunner too long = %v, want ErrTooLong", err)
	}
}

func TestOpenErrors(t *testing.T) {
	orttest.Require(t)
	tests := []struct {
		name string
		m    *model.Model
		want error
		text []string
	}{
		{"wrong input names", orttest.WrongNames(t), ort.ErrModelSignature, []string{`no input "input_ids"`, "ids int64", "mask int64"}},
		{"corrupt file", orttest.WriteFile(t, "corrupt", []byte("\x08\x07\x12\x05garbage, not a protobuf \xff\xff"), 7, 8), ort.ErrModelLoad, nil},
		{"empty file", orttest.WriteFile(t, "empty", nil, 7, 8), ort.ErrModelLoad, nil},
		{"missing file", &model.Model{Identity: model.Identity{Name: "gone"}, ONNXPath: "/nonexistent/gone.onnx"}, ort.ErrModelLoad, nil},
		{"vocab mismatch", func() *model.Model { m := orttest.Tiny(t); m.Vocab = 9; return m }(), ort.ErrModelSignature, []string{"vocabulary 7, the model says 9"}},
		{"vocab unknown", func() *model.Model { m := orttest.Tiny(t); m.Vocab = 0; return m }(), ort.ErrModelSignature, []string{"no vocabulary size"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := ort.Open("ort-test", tt.m, testOptions())
			if err == nil {
				s.Close()
				t.Fatal("Open succeeded")
			}
			if !errors.Is(err, tt.want) {
				t.Errorf("Open = %v, want %v", err, tt.want)
			}
			for _, s := range append(tt.text, tt.m.ONNXPath, "ort-test") {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not mention %q", err, s)
				}
			}
		})
	}
}

// TestSignatureRechecked replaces a checked file by one with the wrong
// signature: the remembered check must not hide the change.
func TestSignatureRechecked(t *testing.T) {
	m := orttest.Tiny(t)
	open(t, m, testOptions())
	wrong, err := os.ReadFile(orttest.WrongNames(t).ONNXPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(m.ONNXPath, wrong, 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := ort.Open("ort-test", m, testOptions())
	if !errors.Is(err, ort.ErrModelSignature) {
		if err == nil {
			s.Close()
		}
		t.Fatalf("Open after the file changed = %v, want ErrModelSignature", err)
	}
}

func TestClose(t *testing.T) {
	m := orttest.Tiny(t)
	s := open(t, m, testOptions())
	logits := make([]float32, m.LogitsLen(1, 2))
	run, err := s.BareRunner([]int64{1, 2}, 1, 2, logits)
	if err != nil {
		t.Fatal(err)
	}
	if err := run(); err != nil {
		t.Fatal(err)
	}
	checkLogits(t, []int64{1, 2}, logits)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if err := s.Prefill([]int64{1, 2}, 1, 2, logits); !errors.Is(err, ort.ErrClosed) {
		t.Errorf("Prefill after Close = %v, want ErrClosed", err)
	}
	if err := run(); !errors.Is(err, ort.ErrClosed) {
		t.Errorf("bare run after Close = %v, want ErrClosed", err)
	}
}

// TestPrefillAllocs asserts the zero-allocation design: a repeated
// Prefill on a cached shape allocates nothing in Go.
func TestPrefillAllocs(t *testing.T) {
	m := orttest.Tiny(t)
	s := open(t, m, testOptions())
	tokens := []int64{1, 2, 3, 4, 5, 6}
	logits := make([]float32, m.LogitsLen(2, 3))
	allocs := testing.AllocsPerRun(100, func() {
		if err := s.Prefill(tokens, 2, 3, logits); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("Prefill allocates %v times per call, want 0", allocs)
	}
}

func TestConfig(t *testing.T) {
	s := open(t, orttest.Tiny(t), testOptions())
	got := map[string]string{}
	for _, kv := range s.Config() {
		got[kv[0]] = kv[1]
	}
	if !strings.HasPrefix(got["ort-version"], "1.") || got["ort-version"] != ort.Version() {
		t.Errorf("ort-version = %q, ort.Version() = %q", got["ort-version"], ort.Version())
	}
	if _, err := os.Stat(got["ort-library"]); err != nil || got["ort-library"] != ort.LibraryPath() {
		t.Errorf("ort-library = %q (%v), ort.LibraryPath() = %q", got["ort-library"], err, ort.LibraryPath())
	}
	for k, v := range map[string]string{"ort-profiling": "off", "ort-providers": "CPUExecutionProvider", "ort-intra-op-threads": "1"} {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
}
