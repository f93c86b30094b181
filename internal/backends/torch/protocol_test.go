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
		buf := encodeRequest(nil, opDecPrefill, tc.batch, tc.seq, 77, tc.tokens, nil)
		if want := reqHeader + 8*len(tc.tokens); len(buf) != want {
			t.Errorf("%v: frame of %d bytes, want %d", tc.tokens, len(buf), want)
		}
		q, err := decodeRequest(bytes.NewReader(buf))
		if err != nil || q.op != opDecPrefill || q.arg != 77 || q.batch != tc.batch || q.seq != tc.seq || !slices.Equal(q.tokens, tc.tokens) {
			t.Errorf("decode(encode(%v, %d, %d)) = %+v, %v", tc.tokens, tc.batch, tc.seq, q, err)
		}
	}
	buf := encodeRequest(nil, opMap, 0, 0, 4, nil, []byte("/dev/shm/x"))
	if q, err := decodeRequest(bytes.NewReader(buf)); err != nil || q.op != opMap || q.arg != 4 || string(q.payload) != "/dev/shm/x" {
		t.Errorf("map request decodes to %+v, %v", q, err)
	}
}

func TestEncodeRequestReusesBuffer(t *testing.T) {
	buf := encodeRequest(nil, opPrefill, 2, 4, 0, make([]int64, 8), nil)
	if n := testing.AllocsPerRun(10, func() { buf = encodeRequest(buf, opPrefill, 1, 4, 0, make([]int64, 4), nil) }); n > 1 {
		t.Errorf("encodeRequest allocates %v times per call into a large enough buffer", n)
	}
}

func TestDecodeResponse(t *testing.T) {
	ok := func(ns uint64, l []float32) []byte {
		var b bytes.Buffer
		encodeResponse(&b, ns, whereInline, len(l), l)
		return b.Bytes()
	}
	frame := func(where uint32, count int) []byte {
		var b bytes.Buffer
		encodeResponse(&b, 9, where, count, nil)
		return b.Bytes()
	}
	shm := []float32{7, 8, 9, 10}
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
		{"short payload", ok(1, []float32{1, 2, 3})[:40], 3, nil, 0, ErrProtocol},
		{"short ok header", ok(1, []float32{1, 2, 3})[:20], 3, nil, 0, ErrProtocol},
		{"shared segment", frame(whereShm, 3), 3, []float32{7, 8, 9}, 9, nil},
		{"shared segment too small", frame(whereShm, 5), 5, nil, 0, ErrProtocol},
		{"no logits", frame(whereNone, 0), 0, []float32{}, 9, nil},
		{"no logits but count", frame(whereNone, 2), 2, nil, 0, ErrProtocol},
		{"unknown placement", frame(9, 0), 0, nil, 0, ErrProtocol},
		{"empty", nil, 3, nil, 0, io.EOF},
		{"short header", []byte{0, 0, 0}, 3, nil, 0, io.ErrUnexpectedEOF},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := make([]float32, tc.n)
			ns, _, err := decodeResponse(bytes.NewReader(tc.in), nil, got, shm)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			if tc.wantErr == nil && (ns != tc.ns || !slices.Equal(got, tc.want)) {
				t.Errorf("got %v, %d; want %v, %d", got, ns, tc.want, tc.ns)
			}
		})
	}
	if msg := func() string {
		_, _, err := decodeResponse(bytes.NewReader(errFrame("RuntimeError: boom")), nil, nil, nil)
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

func TestCopyFloats(t *testing.T) {
	for _, n := range []int{0, 1, parallelCopy - 1, parallelCopy, parallelCopy/4*9 + 3, 4*parallelCopy + 17} {
		src := make([]float32, n)
		for i := range src {
			src[i] = float32(i)
		}
		dst := make([]float32, n)
		copyFloats(dst, src)
		if !slices.Equal(dst, src) {
			t.Fatalf("n=%d: copy differs", n)
		}
	}
}
