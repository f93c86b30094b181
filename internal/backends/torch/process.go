package torch

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// ErrWorkerExited reports a worker that died or closed its output.
var ErrWorkerExited = errors.New("torch worker exited")

// ErrTimeout reports a worker that did not answer in time; it is killed.
var ErrTimeout = errors.New("torch worker timed out")

// Timeouts: loading (and, for torch-compile, nothing is compiled until the
// first call) may take a while; a single forward pass never should.
const (
	startTimeout = 5 * time.Minute
	callTimeout  = 10 * time.Minute
	closeGrace   = 10 * time.Second
)

// stderrKeep is how much of the worker's stderr errors quote.
const stderrKeep = 4 << 10

// Ready is the worker's first stdout line, JSON: what it runs on, or why it
// cannot run (Error set, with Import naming a failed import).
type Ready struct {
	Ready        bool   `json:"ready"`
	Error        string `json:"error,omitempty"`
	Import       string `json:"import,omitempty"`
	Torch        string `json:"torch"`
	Transformers string `json:"transformers"`
	Device       string `json:"device"`
	GPU          string `json:"gpu"`
	Mode         string `json:"mode"`
	Attn         string `json:"attn"`
	Dtype        string `json:"dtype"`
	CUDA         string `json:"cuda"`
	TF32         bool   `json:"tf32"`
	Threads      int    `json:"threads"`
}

// importError is a worker that could not import torch or transformers.
type importError struct{ module, msg string }

func (e *importError) Error() string { return e.module + ": " + e.msg }

// worker is a running worker process speaking the protocol.
type worker struct {
	name    string // backend name, for errors
	cmd     *exec.Cmd
	stdin   io.WriteCloser
	stdout  *bufio.Reader
	stderr  *ring
	done    chan struct{} // closed when the process has exited
	waitErr error         // cmd.Wait's result, valid after done

	timeout  time.Duration // per call
	timer    *time.Timer   // kills a worker that does not answer in time
	mu       sync.Mutex
	timedOut bool

	req, resp []byte // reused frames
	dead      error  // first fatal error; the worker is unusable after it

	stdoutFile *os.File // the pipe's read end, for its size
	seg        *segment // the shared segment logits arrive in, if mapped
	pinned     bool     // the worker registered seg with CUDA
	noShm      string   // why logits travel through the pipe instead
}

// startWorker starts cmd and waits up to startTimeout for its ready line.
// A worker that cannot import its modules gives an *importError.
func startWorker(name string, cmd *exec.Cmd, startTimeout, callTimeout time.Duration) (*worker, Ready, error) {
	w := &worker{name: name, cmd: cmd, stderr: newRing(stderrKeep), done: make(chan struct{}), timeout: callTimeout}
	cmd.Stderr = w.stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, Ready{}, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, Ready{}, err
	}
	if err := cmd.Start(); err != nil {
		return nil, Ready{}, err
	}
	w.stdin, w.stdout = stdin, bufio.NewReaderSize(stdout, 1<<16)
	if f, ok := stdout.(*os.File); ok {
		w.stdoutFile = f
		growPipe(f)
	}
	go func() {
		w.waitErr = cmd.Wait()
		close(w.done)
	}()
	w.timer = time.AfterFunc(startTimeout, w.expire)
	line, err := w.stdout.ReadString('\n')
	w.timer.Stop()
	if err != nil {
		err = w.fail(fmt.Errorf("waiting for the ready line: %w", err))
		w.kill()
		return nil, Ready{}, err
	}
	var r Ready
	if err := json.Unmarshal([]byte(line), &r); err != nil {
		w.kill()
		return nil, Ready{}, fmt.Errorf("%s: %w: ready line %q: %v", name, ErrProtocol, strings.TrimSpace(line), err)
	}
	if r.Import != "" {
		w.kill()
		return nil, r, &importError{r.Import, r.Error}
	}
	if !r.Ready || r.Error != "" {
		w.kill()
		return nil, r, fmt.Errorf("%s: worker failed to start: %s%s", name, r.Error, w.stderrTail())
	}
	return w, r, nil
}

func (w *worker) expire() {
	w.mu.Lock()
	w.timedOut = true
	w.mu.Unlock()
	_ = w.cmd.Process.Kill()
}

// fail turns an I/O error into the worker's fatal error: it waits briefly
// for the process to exit, and names its exit status and stderr.
func (w *worker) fail(err error) error {
	w.mu.Lock()
	to := w.timedOut
	w.mu.Unlock()
	if to {
		err = fmt.Errorf("%w (%v): %v", ErrTimeout, w.timeout, err)
	} else if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || isPipeErr(err) {
		select {
		case <-w.done:
			err = fmt.Errorf("%w (%v): %v", ErrWorkerExited, w.waitErr, err)
		case <-time.After(2 * time.Second):
			err = fmt.Errorf("%w: %v", ErrWorkerExited, err)
		}
	}
	w.dead = fmt.Errorf("%s: %w%s", w.name, err, w.stderrTail())
	return w.dead
}

func isPipeErr(err error) bool {
	return err != nil && (strings.Contains(err.Error(), "broken pipe") || strings.Contains(err.Error(), "file already closed"))
}

func (w *worker) stderrTail() string {
	s := strings.TrimSpace(w.stderr.String())
	if s == "" {
		return ""
	}
	return "\nworker stderr (last bytes):\n" + s
}

// call sends one request and reads its response, with logits (which must
// hold the response's count of values) filled from the pipe or the shared
// segment. It returns the worker's own forward time.
func (w *worker) call(op uint32, batch, seq int, arg uint32, tokens []int64, payload []byte, logits []float32) (time.Duration, error) {
	if w.dead != nil {
		return 0, w.dead
	}
	w.req = encodeRequest(w.req, op, batch, seq, arg, tokens, payload)
	w.timer.Reset(w.timeout)
	defer w.timer.Stop()
	if _, err := w.stdin.Write(w.req); err != nil {
		return 0, w.fail(fmt.Errorf("sending the request: %w", err))
	}
	var shm []float32
	if w.seg != nil {
		shm = w.seg.floats
	}
	ns, resp, err := decodeResponse(w.stdout, w.resp, logits, shm)
	w.resp = resp
	if err != nil {
		var we *workerError
		if errors.As(err, &we) {
			// An error frame keeps the stream in sync: the worker stays
			// usable. Anything else is fatal.
			return 0, fmt.Errorf("%s: %w", w.name, err)
		}
		return 0, w.fail(fmt.Errorf("reading the response: %w", err))
	}
	return time.Duration(ns), nil
}

// roundTrip is a prefill whose logits come to the host.
func (w *worker) roundTrip(tokens []int64, batch, seq int, logits []float32) (time.Duration, error) {
	if err := w.ensure(len(logits)); err != nil {
		return 0, err
	}
	return w.call(opPrefill, batch, seq, 0, tokens, nil, logits)
}

// ensure makes the shared segment hold n logits, mapping a larger one
// into both processes if needed. Without shared memory (w.transport says
// why) the logits travel through the pipe and ensure does nothing.
func (w *worker) ensure(n int) error {
	if w.noShm != "" || (w.seg != nil && len(w.seg.floats) >= n) {
		return nil
	}
	mib := 1
	for mib<<20 < 4*n {
		mib *= 2
	}
	seg, err := newSegment(mib << 20)
	if err != nil {
		w.noShm = err.Error()
		return nil
	}
	pinned, err := w.call(opMap, 0, 0, uint32(mib), nil, []byte(seg.path), nil)
	seg.unlink() // both processes hold it mapped; nothing is left behind
	if err != nil {
		seg.close()
		var we *workerError
		if errors.As(err, &we) {
			w.noShm = "the worker could not map it: " + we.msg
			return nil
		}
		return err
	}
	if w.seg != nil {
		w.seg.close()
	}
	w.seg, w.pinned = seg, pinned == 1
	return nil
}

// transport describes how logits reach the host, for the session's
// configuration lines.
func (w *worker) transport() string {
	if w.noShm != "" {
		return "pipe (" + pipeSize(w.stdoutFile) + "), read straight into the caller's buffer; no shared memory: " + w.noShm
	}
	pin := "registered with CUDA as pinned memory: one DMA from the device"
	if !w.pinned {
		pin = "not pinned (no CUDA, or cudaHostRegister failed)"
	}
	return "shared memory segment (" + pin + "), one memmove into the caller's buffer"
}

// close ends the worker: stdin closed (the worker exits on EOF), then a
// kill if it has not exited within grace.
func (w *worker) close(grace time.Duration) error {
	w.timer.Stop()
	_ = w.stdin.Close()
	defer func() {
		if w.seg != nil {
			w.seg.close()
			w.seg = nil
		}
	}()
	select {
	case <-w.done:
	case <-time.After(grace):
		w.kill()
		return fmt.Errorf("%s: worker did not exit within %v of closing its input; killed%s", w.name, grace, w.stderrTail())
	}
	if w.waitErr != nil && w.dead == nil {
		return fmt.Errorf("%s: worker exit: %w%s", w.name, w.waitErr, w.stderrTail())
	}
	return nil
}

func (w *worker) kill() {
	_ = w.cmd.Process.Kill()
	<-w.done
}
