package ort_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/inferbench/inferbench/internal/backends/ort"
	"github.com/inferbench/inferbench/internal/backends/ort/orttest"
)

func TestProfile(t *testing.T) {
	orttest.Require(t)
	dir := filepath.Join(t.TempDir(), "profiles")
	m := orttest.Tiny(t)
	o := testOptions()
	o.ProfileDir = dir
	s, err := ort.Open("ort-test", m, o)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := configValue(s, "ort-profiling"); got != "on" {
		t.Errorf("ort-profiling = %q, want on", got)
	}
	tokens := []int64{3, 1, 4}
	if err := s.Prefill(tokens, 1, 3, make([]float32, m.LogitsLen(1, 3))); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ProfilePath(); !errors.Is(err, ort.ErrNoProfile) {
		t.Errorf("ProfilePath before Close = %v, want ErrNoProfile", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	path, err := s.ProfilePath()
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(path) != dir || !strings.HasPrefix(filepath.Base(path), "ort-test-") {
		t.Errorf("profile %s is not an ort-test profile in %s", path, dir)
	}
	ops, err := ort.ProfileOps(path)
	if err != nil {
		t.Fatal(err)
	}
	// Gather reads a graph input, so no optimisation can fold it away.
	if ops["Gather"] == 0 {
		t.Errorf("profile ops %v lack Gather", ops)
	}
	for op := range ops {
		if op == "MatMul" || op == "Conv" {
			t.Errorf("profile ops %v include %s, which the tiny model has not", ops, op)
		}
	}
}

func TestProfileOff(t *testing.T) {
	s := open(t, orttest.Tiny(t), testOptions())
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ProfilePath(); !errors.Is(err, ort.ErrNoProfile) {
		t.Errorf("ProfilePath with profiling off = %v, want ErrNoProfile", err)
	}
}

func TestProfileOps(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, json string
		want       map[string]int
		wantErr    bool
	}{
		{"nodes counted per op", `[
			{"cat":"Session","name":"model_run","args":{}},
			{"cat":"Node","name":"mm_fence_before","args":{"op_name":"MatMulInteger","provider":"CPUExecutionProvider"}},
			{"cat":"Node","name":"mm_kernel_time","args":{"op_name":"MatMulInteger"}},
			{"cat":"Node","name":"q_kernel_time","args":{"op_name":"DynamicQuantizeLinear"}},
			{"cat":"Node","name":"odd","args":{}}
		]`, map[string]int{"MatMulInteger": 2, "DynamicQuantizeLinear": 1}, false},
		{"empty", `[]`, map[string]int{}, false},
		{"truncated", `[{"cat":"Node"`, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "_")+".json")
			if err := os.WriteFile(p, []byte(tt.json), 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := ort.ProfileOps(p)
			if tt.wantErr {
				if err == nil || !strings.Contains(err.Error(), p) {
					t.Errorf("ProfileOps = %v, %v; want an error naming %s", got, err, p)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Errorf("ProfileOps = %v, want %v", got, tt.want)
			}
			for k, v := range tt.want {
				if got[k] != v {
					t.Errorf("ProfileOps[%s] = %d, want %d", k, got[k], v)
				}
			}
		})
	}
}

func configValue(s *ort.Session, key string) string {
	for _, kv := range s.Config() {
		if kv[0] == key {
			return kv[1]
		}
	}
	return ""
}
