package safetensors

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/inferbench/inferbench/internal/floatbits"
)

func TestRoundTrip(t *testing.T) {
	f32 := []float32{0, 1, -2.5, 3.25, float32(math.Inf(1)), 1e-8}
	f16 := []float32{0, 1, -2.5, 65504, 0.1, 1e-7}
	tensors := []Tensor{
		Float32Tensor("h.0.attn.c_attn.weight", []int64{2, 3}, f32),
		Float16Tensor("wte.weight", []int64{3, 2}, f16),
		BFloat16Tensor("bf", []int64{2}, []float32{1, -0.5}),
		{Name: "ids", DType: I64, Shape: []int64{2}, Data: binary.LittleEndian.AppendUint64(binary.LittleEndian.AppendUint64(nil, 7), 1<<40)},
		{Name: "f64", DType: F64, Shape: []int64{1}, Data: binary.LittleEndian.AppendUint64(nil, math.Float64bits(0.5))},
		{Name: "empty", DType: F32, Shape: []int64{0}, Data: nil},
		{Name: "scalar", DType: U8, Shape: []int64{}, Data: []byte{9}},
	}
	md := map[string]string{"format": "pt", "note": `a "quoted" <tag> & é`}
	var buf bytes.Buffer
	if err := Write(&buf, tensors, md); err != nil {
		t.Fatal(err)
	}
	f, err := Parse("rt.safetensors", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Metadata) != 2 || f.Metadata["format"] != "pt" || f.Metadata["note"] != md["note"] {
		t.Errorf("Metadata = %q, want %q", f.Metadata, md)
	}
	if got, want := f.Names(), []string{"bf", "empty", "f64", "h.0.attn.c_attn.weight", "ids", "scalar", "wte.weight"}; !slices.Equal(got, want) {
		t.Errorf("Names() = %q, want %q", got, want)
	}
	for _, in := range tensors {
		ti, ok := f.Lookup(in.Name)
		if !ok {
			t.Fatalf("Lookup(%q) failed", in.Name)
		}
		if ti.DType != in.DType || !slices.Equal(ti.Shape, in.Shape) {
			t.Errorf("%s: got %s %v, want %s %v", in.Name, ti.DType, ti.Shape, in.DType, in.Shape)
		}
		b, err := f.Bytes(in.Name)
		if err != nil || !bytes.Equal(b, in.Data) {
			t.Errorf("Bytes(%q) = %v, %v; want %v", in.Name, b, err, in.Data)
		}
	}
	check := func(name string, want []float32, shape []int64) {
		t.Helper()
		got, s, err := f.Float32(name)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) || !slices.Equal(s, shape) {
			t.Errorf("Float32(%q) = %v %v, want %v %v", name, got, s, want, shape)
		}
	}
	check("h.0.attn.c_attn.weight", f32, []int64{2, 3})
	want16 := make([]float32, len(f16))
	for i, v := range f16 {
		want16[i] = floatbits.Float16ToFloat32(floatbits.Float16Bits(v))
	}
	check("wte.weight", want16, []int64{3, 2})
	check("bf", []float32{1, -0.5}, []int64{2})
	check("f64", []float32{0.5}, []int64{1})
	check("empty", []float32{}, []int64{0})
}

func TestWriteFormat(t *testing.T) {
	var buf bytes.Buffer
	err := Write(&buf, []Tensor{
		{Name: "b", DType: U8, Shape: []int64{2}, Data: []byte{3, 4}},
		{Name: "a", DType: U8, Shape: []int64{1, 1}, Data: []byte{2}},
	}, map[string]string{"z": "1", "format": "pt"})
	if err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	n := binary.LittleEndian.Uint64(b)
	if n%8 != 0 {
		t.Errorf("header length %d is not a multiple of 8", n)
	}
	hdr := string(b[8 : 8+n])
	want := `{"__metadata__":{"format":"pt","z":"1"},` +
		`"a":{"dtype":"U8","shape":[1,1],"data_offsets":[0,1]},` +
		`"b":{"dtype":"U8","shape":[2],"data_offsets":[1,3]}}`
	if strings.TrimRight(hdr, " ") != want || len(hdr)-len(want) >= 8 {
		t.Errorf("header = %q, want %q padded with spaces", hdr, want)
	}
	if got := b[8+n:]; !bytes.Equal(got, []byte{2, 3, 4}) {
		t.Errorf("buffer = %v, want [2 3 4]", got)
	}
}

func TestWriteDeterministic(t *testing.T) {
	ts := []Tensor{
		Float32Tensor("x", []int64{2}, []float32{1, 2}),
		Float32Tensor("a", []int64{1}, []float32{3}),
		Float16Tensor("m", []int64{1}, []float32{4}),
	}
	md := map[string]string{"k1": "v1", "k2": "v2", "k3": "v3", "k4": "v4"}
	var first bytes.Buffer
	if err := Write(&first, ts, md); err != nil {
		t.Fatal(err)
	}
	for range 10 {
		slices.Reverse(ts)
		var again bytes.Buffer
		if err := Write(&again, ts, md); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first.Bytes(), again.Bytes()) {
			t.Fatal("Write output depends on input order or map iteration")
		}
	}
}

func TestWriteErrors(t *testing.T) {
	ok := Float32Tensor("ok", []int64{1}, []float32{1})
	tests := []struct {
		name    string
		tensors []Tensor
		md      map[string]string
		want    error
	}{
		{"duplicate", []Tensor{ok, ok}, nil, ErrDuplicate},
		{"size mismatch", []Tensor{Float32Tensor("a", []int64{3, 4}, make([]float32, 5))}, nil, ErrShape},
		{"negative dim", []Tensor{{Name: "a", DType: U8, Shape: []int64{-1}}}, nil, ErrShape},
		{"unknown dtype", []Tensor{{Name: "a", DType: "F7", Shape: []int64{1}, Data: []byte{0}}}, nil, ErrDType},
		{"reserved name", []Tensor{{Name: "__metadata__", DType: U8, Shape: []int64{1}, Data: []byte{0}}}, nil, ErrHeader},
		{"bad utf8 name", []Tensor{{Name: "\xff", DType: U8, Shape: []int64{1}, Data: []byte{0}}}, nil, ErrHeader},
		{"bad utf8 metadata", []Tensor{ok}, map[string]string{"k": "\xff"}, ErrHeader},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := Write(&buf, tt.tensors, tt.md)
			if !errors.Is(err, tt.want) {
				t.Errorf("Write error = %v, want %v", err, tt.want)
			}
			if buf.Len() != 0 {
				t.Errorf("Write wrote %d bytes before failing", buf.Len())
			}
		})
	}
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "model.safetensors")
	ts := []Tensor{Float32Tensor("w", []int64{2}, []float32{1, 2})}
	if err := WriteFile(path, ts, map[string]string{"format": "pt"}); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if v, _, err := f.Float32("w"); err != nil || !slices.Equal(v, []float32{1, 2}) {
		t.Errorf("Float32(w) = %v, %v", v, err)
	}

	// A failing write leaves the existing file alone and no temporary behind.
	bad := []Tensor{Float32Tensor("w", []int64{3}, []float32{1})}
	err = WriteFile(path, bad, nil)
	if !errors.Is(err, ErrShape) || !strings.Contains(err.Error(), path) {
		t.Errorf("WriteFile error = %v, want ErrShape naming %s", err, path)
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Error("failed WriteFile changed the existing file")
	}
	if err := WriteFile(filepath.Join(dir, "missing", "x.safetensors"), ts, nil); err == nil {
		t.Error("WriteFile into a missing directory succeeded")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries, want only the model", len(entries))
	}
	if _, err := ReadFile(filepath.Join(dir, "nope")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("ReadFile(missing) error = %v", err)
	}
}
