package torch

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
)

// The wire protocol between Go and the worker, after the worker's one JSON
// ready line, is binary and little-endian:
//
//	request:  u64 n | u32 batch | u32 seq | int64 tokens[batch·seq]     (n = 8 + 8·batch·seq)
//	response: u32 status | u64 n | payload[n]
//	  status 0 (ok):    payload = u64 forward-ns | float32 logits[batch·seq·vocab]
//	  status 1 (error): payload = UTF-8 message
const (
	statusOK    = 0
	statusError = 1

	reqHeader  = 16 // n, batch, seq
	respHeader = 12 // status, n
)

// maxPayload bounds a response the Go side will read: a corrupt length must
// not allocate without limit.
const maxPayload = 1 << 34

// ErrProtocol reports a malformed frame from the worker.
var ErrProtocol = errors.New("torch worker protocol error")

// encodeRequest appends the request frame for tokens to buf[:0] and returns
// it; buf is reused across calls.
func encodeRequest(buf []byte, tokens []int64, batch, seq int) []byte {
	n := reqHeader + 8*len(tokens)
	if cap(buf) < n {
		buf = make([]byte, n)
	}
	buf = buf[:n]
	binary.LittleEndian.PutUint64(buf[0:], uint64(8+8*len(tokens)))
	binary.LittleEndian.PutUint32(buf[8:], uint32(batch))
	binary.LittleEndian.PutUint32(buf[12:], uint32(seq))
	for i, t := range tokens {
		binary.LittleEndian.PutUint64(buf[reqHeader+8*i:], uint64(t))
	}
	return buf
}

// decodeRequest parses a request frame (used by the fake worker in tests,
// and documents the format the Python worker reads).
func decodeRequest(r io.Reader) (tokens []int64, batch, seq int, err error) {
	var h [reqHeader]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return nil, 0, 0, err
	}
	n := binary.LittleEndian.Uint64(h[0:])
	batch = int(binary.LittleEndian.Uint32(h[8:]))
	seq = int(binary.LittleEndian.Uint32(h[12:]))
	if n != 8+8*uint64(batch)*uint64(seq) {
		return nil, 0, 0, fmt.Errorf("%w: request length %d for batch %d × seq %d", ErrProtocol, n, batch, seq)
	}
	body := make([]byte, 8*batch*seq)
	if _, err := io.ReadFull(r, body); err != nil {
		return nil, 0, 0, fmt.Errorf("%w: short request: %v", ErrProtocol, err)
	}
	tokens = make([]int64, batch*seq)
	for i := range tokens {
		tokens[i] = int64(binary.LittleEndian.Uint64(body[8*i:]))
	}
	return tokens, batch, seq, nil
}

// encodeResponse writes an ok response (used by the fake worker in tests).
func encodeResponse(w io.Writer, forwardNS uint64, logits []float32) error {
	buf := make([]byte, respHeader+8+4*len(logits))
	binary.LittleEndian.PutUint32(buf[0:], statusOK)
	binary.LittleEndian.PutUint64(buf[4:], uint64(8+4*len(logits)))
	binary.LittleEndian.PutUint64(buf[respHeader:], forwardNS)
	for i, v := range logits {
		binary.LittleEndian.PutUint32(buf[respHeader+8+4*i:], math.Float32bits(v))
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

// decodeResponse reads one response into logits, using buf (returned, grown
// if needed) as scratch space. An error frame returns a *workerError.
func decodeResponse(r io.Reader, buf []byte, logits []float32) (forwardNS uint64, _ []byte, err error) {
	// The header goes into buf too: a local array would escape to the heap
	// through io.ReadFull.
	if cap(buf) < respHeader {
		buf = make([]byte, respHeader)
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
	if want := 8 + 4*uint64(len(logits)); n != want {
		if n > maxPayload {
			return 0, buf, fmt.Errorf("%w: payload of %d bytes, want %d", ErrProtocol, n, want)
		}
		// Drain the frame so the stream stays in sync, then fail.
		if _, err := io.CopyN(io.Discard, r, int64(n)); err != nil {
			return 0, buf, fmt.Errorf("%w: short payload: %v", ErrProtocol, err)
		}
		return 0, buf, fmt.Errorf("%w: payload of %d bytes, want %d (%d logits)", ErrProtocol, n, want, len(logits))
	}
	if uint64(cap(buf)) < n {
		buf = make([]byte, n)
	}
	b := buf[:n]
	if _, err := io.ReadFull(r, b); err != nil {
		return 0, buf, fmt.Errorf("%w: short payload: %v", ErrProtocol, err)
	}
	forwardNS = binary.LittleEndian.Uint64(b)
	for i := range logits {
		logits[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[8+4*i:]))
	}
	return forwardNS, buf, nil
}
