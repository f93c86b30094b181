package cpu_test

import (
	"runtime"
	"strconv"
	"testing"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/backends/ort"
	"github.com/inferbench/inferbench/internal/backends/ort/cpu"
	"github.com/inferbench/inferbench/internal/backends/ort/orttest"
)

// TestRegistered: the three precisions are registered under their
// names, as the TensorRT backends are.
func TestRegistered(t *testing.T) {
	for _, tt := range []struct {
		name string
		p    model.Precision
	}{{cpu.Name, model.FP32}, {cpu.NameFP16, model.FP16}, {cpu.NameINT8, model.INT8}} {
		b, err := backends.Lookup(tt.name)
		if err != nil {
			t.Fatal(err)
		}
		if b.Name() != tt.name || b.Precision() != tt.p || b.Device() != "cpu" || b != cpu.New(tt.p) {
			t.Errorf("%s is %s/%s/%s, want %s/%s/cpu", tt.name, b.Name(), b.Precision(), b.Device(), tt.name, tt.p)
		}
	}
	if z := (cpu.Backend{}); z.Name() != cpu.Name || z.Precision() != model.FP32 {
		t.Errorf("the zero Backend is %s/%s, want ort-cpu/fp32", z.Name(), z.Precision())
	}
}

func TestConfig(t *testing.T) {
	tests := []struct {
		threads int
		want    string
	}{
		{0, strconv.Itoa(runtime.NumCPU())},
		{1, "1"},
		{3, "3"},
	}
	for _, tt := range tests {
		t.Run("threads="+strconv.Itoa(tt.threads), func(t *testing.T) {
			got := openConfig(t, backends.Options{Threads: tt.threads})
			want := map[string]string{
				"ort-intra-op-threads":                       tt.want,
				"ort-inter-op-threads":                       "1",
				"ort-execution-mode":                         "ORT_SEQUENTIAL",
				"ort-graph-optimization":                     "ORT_ENABLE_ALL",
				"ort-cpu-mem-arena":                          "on",
				"ort-mem-pattern":                            "on",
				"ort-providers":                              "CPUExecutionProvider",
				"ort-profiling":                              "off",
				"ort-config-session.intra_op.allow_spinning": "1",
			}
			for k, v := range want {
				if got[k] != v {
					t.Errorf("%s = %q, want %q", k, got[k], v)
				}
			}
			if got["ort-version"] == "" {
				t.Error("no ort-version")
			}
		})
	}
}

// openConfig opens a session on the tiny model through the registry and
// returns its configuration.
func openConfig(t *testing.T, opts backends.Options) map[string]string {
	t.Helper()
	orttest.Require(t)
	b, err := backends.Lookup(cpu.Name)
	if err != nil {
		t.Fatal(err)
	}
	s, err := b.Open(orttest.Tiny(t), opts)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got := map[string]string{}
	for _, kv := range s.Config() {
		got[kv[0]] = kv[1]
	}
	return got
}

func TestPrefill(t *testing.T) {
	orttest.Require(t)
	m := orttest.Tiny(t)
	s, err := cpu.Backend{}.Open(m, backends.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, ok := s.(*ort.Session); !ok {
		t.Errorf("session is %T, want *ort.Session", s)
	}
	tokens := []int64{6, 0, 5, 1, 4, 2}
	logits := make([]float32, m.LogitsLen(2, 3))
	if err := s.Prefill(tokens, 2, 3, logits); err != nil {
		t.Fatal(err)
	}
	want := orttest.TinyLogits(tokens)
	for i := range want {
		if logits[i] != want[i] {
			t.Fatalf("logits[%d] = %v, want %v", i, logits[i], want[i])
		}
	}
}

// TestOptionsOverlapped: sessions whose caller computes beside them do not
// spin between operators; others do (ORT's default, made explicit).
func TestOptionsOverlapped(t *testing.T) {
	for _, overlapped := range []bool{false, true} {
		want := [2]string{"session.intra_op.allow_spinning", map[bool]string{false: "1", true: "0"}[overlapped]}
		o := cpu.Options(backends.Options{Overlapped: overlapped})
		if len(o.Entries) != 1 || o.Entries[0] != want {
			t.Errorf("Overlapped %v: entries %v, want %v", overlapped, o.Entries, want)
		}
	}
}
