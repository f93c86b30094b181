package harness

import "testing"

func TestSelects(t *testing.T) {
	for _, c := range []struct {
		pattern string
		names   []string
		want    bool
	}{
		{"", []string{"BenchmarkOverhead", "backend=ort-cpu"}, true},
		{".", []string{"BenchmarkOverhead", "backend=ort-cpu"}, true},
		{"Prefill", []string{"BenchmarkOverhead"}, false},
		{"Overhead|Prefill", []string{"BenchmarkOverhead", "backend=ort-cpu"}, true},
		{"Overhead/backend=reference", []string{"BenchmarkOverhead", "backend=ort-cpu"}, false},
		{"Overhead/backend=ort-cpu/scenario=single_micro", []string{"BenchmarkOverhead", "backend=ort-cpu"}, true},
		{"Prefill/backend=(ort-cpu|reference)/x", []string{"BenchmarkPrefill", "backend=reference"}, true},
		{"[", []string{"BenchmarkPrefill"}, true}, // testing reports the bad pattern itself
	} {
		if got := selects(c.pattern, c.names...); got != c.want {
			t.Errorf("selects(%q, %q) = %v, want %v", c.pattern, c.names, got, c.want)
		}
	}
	for _, c := range []struct {
		pattern, backend string
		want             bool
	}{
		{".", "ort-cuda", true},
		{"Prefill", "ort-cuda", true},
		{"Prefill/backend=ort-cpu", "ort-cuda", false},
		{"Prefill/backend=ort-cpu", "ort-cpu-fp16", true}, // unanchored, as testing matches
		{"Prefill/backend=ort-cpu$", "ort-cpu-fp16", false},
		{"Prefill/backend=(reference|ort-cpu$)/scenario=a/b", "reference", true},
		{"Prefill/", "ort-cuda", true},
	} {
		if got := selectsBackend(c.pattern, c.backend); got != c.want {
			t.Errorf("selectsBackend(%q, %q) = %v, want %v", c.pattern, c.backend, got, c.want)
		}
	}
}
