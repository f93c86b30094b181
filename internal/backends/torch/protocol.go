package torch

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
	"unsafe"

	"github.com/inferbench/inferbench/internal/parallel"
)

// The wire protocol between Go and the worker, after the worker's one JSON
// ready line, is binary and little-endian:
//
//	request:  u64 n | u32 op | u32 batch | u32 seq | u32 arg | payload[n-16]
//	response: u32 status | u64 n | payload[n]
//	  status 0 (ok):    u64 forward-ns | u64 count | u32 where | u32 0 | [float32 × count if where = inline]
//	  status 1 (error): UTF-8 message
//
// A forward op's payload is int64 tokens[batch·seq]; opMap's is the path
// of a shared-memory segment of arg MiB. where says where the count logits
// went: nowhere (a device op), inline in the frame (the pipe transport) or
// into the mapped segment (the shared-memory transport). worker.py reads
// the same frames; its docstring lists the ops too.
const (
	opPrefill       = 0 // forward, logits to the host
	opPrefillDevice = 1 // forward, logits kept on the device
	opCopyLast      = 2 // the last device logits to the host
	opMap           = 3 // map a shared-memory segment; forward-ns = 1 if it was pinned
	opDecPrefill    = 4 // new KV cache of arg positions, prompt into it
	opDecStep       = 5 // one token per sequence into the cache
	opDecClose      = 6 // drop the cache
	opEcho          = 7 // arg zeros from the device: the transport alone
)

// Where a response's logits are.
const (
	whereNone   = 0
	whereInline = 1
	whereShm    = 2
)

const (
	statusOK    = 0
	statusError = 1

	reqHeader  = 24 // n, op, batch, seq, arg
	respHeader = 12 // status, n
	okHeader   = 24 // forward-ns, count, where, 0
)

// maxPayload bounds a response the Go side will read: a corrupt length must
// not allocate without limit.
const maxPayload = 1 << 34

// ErrProtocol reports a malformed frame from the worker.
var ErrProtocol = errors.New("torch worker protocol error")

// request is one decoded request frame (the fake worker's view).
type request struct {
	op, arg    uint32
	batch, seq int
	tokens     []int64
	payload    []byte // opMap: the segment's path
}

// encodeRequest appends a request frame to buf[:0] and returns it; buf is
// reused across calls. payload, if not nil, is sent instead of tokens.
func encodeRequest(buf []byte, op uint32, batch, seq int, arg uint32, tokens []int64, payload []byte) []byte {
	body := 8 * len(tokens)
	if payload != nil {
		body = len(payload)
	}
	n := reqHeader + body
	if cap(buf) < n {
		buf = make([]byte, n)
	}
	buf = buf[:n]
	binary.LittleEndian.PutUint64(buf[0:], uint64(16+body))
	binary.LittleEndian.PutUint32(buf[8:], op)
	binary.LittleEndian.PutUint32(buf[12:], uint32(batch))
	binary.LittleEndian.PutUint32(buf[16:], uint32(seq))
	binary.LittleEndian.PutUint32(buf[20:], arg)
	if payload != nil {
		copy(buf[reqHeader:], payload)
		return buf
	}
	for i, t := range tokens {
		binary.LittleEndian.PutUint64(buf[reqHeader+8*i:], uint64(t))
	}
	return buf
}

// decodeRequest parses a request frame (used by the fake worker in tests,
// and documents the format the Python worker reads).
func decodeRequest(r io.Reader) (request, error) {
	var h [reqHeader]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return request{}, err
	}
	n := binary.LittleEndian.Uint64(h[0:])
	q := request{
		op:    binary.LittleEndian.Uint32(h[8:]),
		batch: int(binary.LittleEndian.Uint32(h[12:])),
		seq:   int(binary.LittleEndian.Uint32(h[16:])),
		arg:   binary.LittleEndian.Uint32(h[20:]),
	}
	if n < 16 || n > 16+maxPayload {
		return request{}, fmt.Errorf("%w: request length %d", ErrProtocol, n)
	}
	body := make([]byte, n-16)
	if _, err := io.ReadFull(r, body); err != nil {
		return request{}, fmt.Errorf("%w: short request: %v", ErrProtocol, err)
	}
	if q.op == opMap {
		q.payload = body
		return q, nil
	}
	if uint64(len(body)) != 8*uint64(q.batch)*uint64(q.seq) {
		return request{}, fmt.Errorf("%w: request length %d for batch %d × seq %d", ErrProtocol, n, q.batch, q.seq)
	}
	q.tokens = make([]int64, q.batch*q.seq)
	for i := range q.tokens {
		q.tokens[i] = int64(binary.LittleEndian.Uint64(body[8*i:]))
	}
	return q, nil
}

// encodeResponse writes an ok response (used by the fake worker in tests):
// inline logits when where is whereInline, else count alone.
func encodeResponse(w io.Writer, forwardNS uint64, where uint32, count int, inline []float32) error {
	if where != whereInline {
		inline = nil
	}
	buf := make([]byte, respHeader+okHeader+4*len(inline))
	binary.LittleEndian.PutUint32(buf[0:], statusOK)
	binary.LittleEndian.PutUint64(buf[4:], uint64(okHeader+4*len(inline)))
	binary.LittleEndian.PutUint64(buf[respHeader:], forwardNS)
	binary.LittleEndian.PutUint64(buf[respHeader+8:], uint64(count))
	binary.LittleEndian.PutUint32(buf[respHeader+16:], where)
	for i, v := range inline {
		binary.LittleEndian.PutUint32(buf[respHeader+okHeader+4*i:], math.Float32bits(v))
	}
	_, err := w.Write(buf)
	return err
}

// encodeError writes an error response.
func encodeError(w io.Writer, msg string) error {
	buf := make([]byte, respHeader+len(msg))
	binary.LittleEndian.PutUint32(buf[0:], statusError)
	binary.LittleEndian.PutUint64(buf[4:], uint64(len(msg)))
	copy(buf[respHeader:], msg)
	_, err := w.Write(buf)
	return err
}

// workerError is an error the worker reported in an error frame.
type workerError struct{ msg string }

func (e *workerError) Error() string { return e.msg }

// ErrWorker marks an error the worker itself reported (a Python exception).
var ErrWorker = errors.New("torch worker error")

func (e *workerError) Is(target error) bool { return target == ErrWorker }

// littleEndian is whether float32 slices can be filled straight from the
// little-endian wire bytes.
var littleEndian = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

// asBytes is logits' memory as bytes.
func asBytes(f []float32) []byte {
	if len(f) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(&f[0])), 4*len(f))
}

// decodeResponse reads one response. Logits go into logits, which must
// hold exactly the response's count (none for a device op): read straight
// into it from the pipe (inline), or copied from shm (the mapped segment)
// with one memmove. buf is scratch space for the headers (returned, grown
// if needed). An error frame returns a *workerError.
func decodeResponse(r io.Reader, buf []byte, logits, shm []float32) (forwardNS uint64, _ []byte, err error) {
	// The header goes into buf too: a local array would escape to the heap
	// through io.ReadFull.
	if cap(buf) < respHeader+okHeader {
		buf = make([]byte, respHeader+okHeader)
	}
	h := buf[:respHeader]
	if _, err := io.ReadFull(r, h); err != nil {
		return 0, buf, err
	}
	status := binary.LittleEndian.Uint32(h[0:])
	n := binary.LittleEndian.Uint64(h[4:])
	switch status {
	case statusError:
		if n > 1<<20 {
			return 0, buf, fmt.Errorf("%w: error message of %d bytes", ErrProtocol, n)
		}
		msg := make([]byte, n)
		if _, err := io.ReadFull(r, msg); err != nil {
			return 0, buf, fmt.Errorf("%w: short error frame: %v", ErrProtocol, err)
		}
		return 0, buf, &workerError{string(msg)}
	case statusOK:
	default:
		return 0, buf, fmt.Errorf("%w: status %d", ErrProtocol, status)
	}
	if n < okHeader || n > maxPayload {
		return 0, buf, fmt.Errorf("%w: payload of %d bytes", ErrProtocol, n)
	}
	ok := buf[respHeader : respHeader+okHeader]
	if _, err := io.ReadFull(r, ok); err != nil {
		return 0, buf, fmt.Errorf("%w: short payload: %v", ErrProtocol, err)
	}
	forwardNS = binary.LittleEndian.Uint64(ok[0:])
	count := binary.LittleEndian.Uint64(ok[8:])
	where := binary.LittleEndian.Uint32(ok[16:])
	rest := n - okHeader
	bad := func(format string, args ...any) (uint64, []byte, error) {
		// Drain the frame so the stream stays in sync, then fail.
		if _, err := io.CopyN(io.Discard, r, int64(rest)); err != nil {
			return 0, buf, fmt.Errorf("%w: short payload: %v", ErrProtocol, err)
		}
		return 0, buf, fmt.Errorf("%w: "+format, append([]any{ErrProtocol}, args...)...)
	}
	if count != uint64(len(logits)) {
		return bad("%d logits in the response, want %d", count, len(logits))
	}
	switch where {
	case whereNone:
		if count != 0 || rest != 0 {
			return bad("no logits, but count %d and %d bytes", count, rest)
		}
	case whereInline:
		if rest != 4*count {
			return bad("payload of %d bytes for %d logits", rest, count)
		}
		if littleEndian {
			if _, err := io.ReadFull(r, asBytes(logits)); err != nil {
				return 0, buf, fmt.Errorf("%w: short payload: %v", ErrProtocol, err)
			}
			break
		}
		for i := range logits {
			if _, err := io.ReadFull(r, buf[:4]); err != nil {
				return 0, buf, fmt.Errorf("%w: short payload: %v", ErrProtocol, err)
			}
			logits[i] = math.Float32frombits(binary.LittleEndian.Uint32(buf))
		}
	case whereShm:
		if rest != 0 || count > uint64(len(shm)) {
			return bad("%d logits in a shared segment of %d", count, len(shm))
		}
		copyFloats(logits, shm[:count])
	default:
		return bad("logits placement %d", where)
	}
	return forwardNS, buf, nil
}

// parallelCopy is the size above which copyFloats splits a copy among
// goroutines: one core's memmove moves ~10 GB/s, and [4, 19, 50257]
// float32 logits are 15 MB.
const parallelCopy = 1 << 20 // float32 values (4 MB)

// copyFloats copies src into dst (the same length), large copies in up to
// 8 concurrent chunks.
func copyFloats(dst, src []float32) {
	if len(src) < parallelCopy {
		copy(dst, src)
		return
	}
	parallel.For(len(src)/(parallelCopy/4), min(runtime.GOMAXPROCS(0), 8), func(k, lo, hi int) {
		n := parallelCopy / 4
		end := hi * n
		if hi == len(src)/n {
			end = len(src)
		}
		copy(dst[lo*n:end], src[lo*n:end])
	})
}

// asFloats is b's memory as float32 values (b's length a multiple of 4).
func asFloats(b []byte) []float32 {
	if len(b) < 4 {
		return nil
	}
	return unsafe.Slice((*float32)(unsafe.Pointer(&b[0])), len(b)/4)
}
