package torch

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"slices"
	"testing"
)

func TestRequestRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		batch, seq int
		tokens     []int64
	}{
		{1, 1, []int64{0}},
		{1, 3, []int64{1, 50256, 7}},
		{2, 2, []int64{-1, 1 << 40, 3, 4}},
	} {
		buf := encodeRequest(nil, tc.tokens, tc.batch, tc.seq)
		if want := 16 + 8*len(tc.tokens); len(buf) != want {
			t.Errorf("%v: frame of %d bytes, want %d", tc.tokens, len(buf), want)
		}
		toks, b, s, err := decodeRequest(bytes.NewReader(buf))
		if err != nil || b != tc.batch || s != tc.seq || !slices.Equal(toks, tc.tokens) {
			t.Errorf("decode(encode(%v, %d, %d)) = %v, %d, %d, %v", tc.tokens, tc.batch, tc.seq, toks, b, s, err)
		}
	}
}

func TestEncodeRequestReusesBuffer(t *testing.T) {
	buf := encodeRequest(nil, make([]int64, 8), 2, 4)
	if n := testing.AllocsPerRun(10, func() { buf = encodeRequest(buf, make([]int64, 4), 1, 4) }); n > 1 {
		t.Errorf("encodeRequest allocates %v times per call into a large enough buffer", n)
	}
}

func TestDecodeResponse(t *testing.T) {
	ok := func(ns uint64, l []float32) []byte {
		var b bytes.Buffer
		encodeResponse(&b, ns, l)
		return b.Bytes()
	}
	errFrame := func(msg string) []byte {
		var b bytes.Buffer
		encodeError(&b, msg)
		return b.Bytes()
	}
	badStatus := ok(1, []float32{1})
	binary.LittleEndian.PutUint32(badStatus, 7)
	for _, tc := range []struct {
		name    string
		in      []byte
		n       int // logits wanted
		want    []float32
		ns      uint64
		wantErr error
	}{
		{"ok", ok(42, []float32{1, -2.5, 3e-7}), 3, []float32{1, -2.5, 3e-7}, 42, nil},
		{"error frame", errFrame("RuntimeError: boom"), 3, nil, 0, ErrWorker},
		{"wrong size", ok(1, []float32{1, 2}), 3, nil, 0, ErrProtocol},
		{"bad status", badStatus, 1, nil, 0, ErrProtocol},
		{"short payload", ok(1, []float32{1, 2, 3})[:20], 3, nil, 0, ErrProtocol},
		{"empty", nil, 3, nil, 0, io.EOF},
		{"short header", []byte{0, 0, 0}, 3, nil, 0, io.ErrUnexpectedEOF},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := make([]float32, tc.n)
			ns, _, err := decodeResponse(bytes.NewReader(tc.in), nil, got)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			if tc.wantErr == nil && (ns != tc.ns || !slices.Equal(got, tc.want)) {
				t.Errorf("got %v, %d; want %v, %d", got, ns, tc.want, tc.ns)
			}
		})
	}
	if msg := func() string {
		_, _, err := decodeResponse(bytes.NewReader(errFrame("RuntimeError: boom")), nil, nil)
		return err.Error()
	}(); msg != "RuntimeError: boom" {
		t.Errorf("error frame gives %q", msg)
	}
}

func TestRing(t *testing.T) {
	r := newRing(8)
	io.WriteString(r, "abc")
	if got := r.String(); got != "abc" {
		t.Errorf("got %q", got)
	}
	io.WriteString(r, "defghij")
	if got := r.String(); got != "cdefghij" {
		t.Errorf("after wrap got %q, want %q", got, "cdefghij")
	}
	io.WriteString(r, "0123456789")
	if got := r.String(); got != "23456789" {
		t.Errorf("after overlong write got %q", got)
	}
}
