package cpu_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/backends/backendtest"
	"github.com/inferbench/inferbench/internal/backends/ort/cpu"
	"github.com/inferbench/inferbench/internal/backends/reference"
	"github.com/inferbench/inferbench/internal/backends/suite"
	"github.com/inferbench/inferbench/internal/lm/zoo"
)

// TestDecoderMatchesReference decodes teacher-forced with ort-cpu's and
// the reference's KV-cache decoders on the default model and compares the
// prefill's and every step's logits (relative L2 ≤ 1e-5, as prefill), and
// that a step past the decoder's length fails.
func TestDecoderMatchesReference(t *testing.T) {
	f := suite.Flags.Require(t)
	m, toks := f.Model, f.Tokens
	const batch, prompt, steps = 2, 7, 6
	open := func(name string) backends.Decoder {
		be, _ := backends.Lookup(name)
		s := backendtest.Open(t, be, m, backends.Options{Threads: 2})
		d, err := backends.NewDecoder(name, s, batch, prompt+steps)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { d.Close() })
		return d
	}
	backendtest.CompareDecoders(t, open(cpu.Name), open(reference.Name), toks, prompt, prompt+steps, 1e-5)
}

// TestDecoderStepAllocs proves that a decoding step on ort-cpu allocates
// nothing on the Go heap once the decoder exists and the caller reuses its
// logits buffer: the cache views, masks and step tensors are preallocated.
func TestDecoderStepAllocs(t *testing.T) {
	f := suite.Flags.Require(t)
	m, toks := f.Model, f.Tokens
	be, _ := backends.Lookup(cpu.Name)
	s := backendtest.Open(t, be, m, backends.Options{Threads: 1})
	const batch, prompt, runs = 2, 4, 20
	d, err := backends.NewDecoder(cpu.Name, s, batch, prompt+runs+2)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Prefill(toks[:batch*prompt], prompt); err != nil {
		t.Fatal(err)
	}
	if allocs := backendtest.StepAllocs(t, d, toks[:batch], runs); allocs != 0 {
		t.Errorf("%v allocations per step, want 0", allocs)
	}
}

// TestForeignFiles: a foreign ONNX file with the KV-cache signature runs
// both prefill (empty past) and generation; one without it is prefill-only
// and says why.
func TestForeignFiles(t *testing.T) {
	f := suite.Flags.Require(t)
	m, toks := f.Model, f.Tokens
	dec, err := zoo.Decoder(m)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	copyFile := func(src, name string) *model.Model {
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		fm, err := zoo.Resolve(zoo.FilePrefix+path, zoo.Options{CacheDir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		return fm
	}
	be, _ := backends.Lookup(cpu.Name)
	ref, _ := backends.Lookup(reference.Name)
	base := backendtest.Open(t, ref, m, backends.Options{})
	const batch, seq = 2, 9
	in := toks[:batch*seq]
	want := make([]float32, m.LogitsLen(batch, seq))
	if err := base.Prefill(in, batch, seq, want); err != nil {
		t.Fatal(err)
	}

	kvm := copyFile(dec.Path, "kv.onnx")
	s := backendtest.Open(t, be, kvm, backends.Options{Threads: 2})
	got := make([]float32, len(want))
	for range 2 { // the second call reuses the prefill decoder
		backendtest.Poison(got)
		if err := s.Prefill(in, batch, seq, got); err != nil {
			t.Fatal(err)
		}
		if d, err := backendtest.Compare(got, want); err != nil || d.RelL2 > 1e-5 {
			t.Fatalf("prefill of a KV-cache file vs reference: %v %v", d, err)
		}
	}
	d, err := backends.NewDecoder(cpu.Name, s, batch, seq+2)
	if err != nil {
		t.Fatalf("a KV-cache file cannot generate: %v", err)
	}
	defer d.Close()
	if _, err := d.Prefill(in, seq); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Step(toks[:batch]); err != nil {
		t.Fatal(err)
	}

	pm := copyFile(m.ONNXPath, "prefill.onnx")
	ps := backendtest.Open(t, be, pm, backends.Options{Threads: 2})
	_, err = backends.NewDecoder(cpu.Name, ps, batch, seq+2)
	if !errors.Is(err, backends.ErrUnavailable) || !errors.Is(err, model.ErrNoKVCache) || !strings.Contains(backends.Reason(err), "past_key_values.0.key") {
		t.Errorf("prefill-only file: NewDecoder = %v, want unavailable naming the missing past_key_values", err)
	}
	t.Logf("prefill-only file: %s", backends.Reason(err))
}
