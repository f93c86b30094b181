package backends

import (
	"errors"
	"fmt"
	"runtime"
	"time"

	"github.com/inferbench/inferbench/backends/model"
)

// Options configure a session. Zero values mean the backend's documented
// default; the values actually used are reported by Session.Config.
type Options struct {
	// Threads is the intra-op thread count (0: all cores).
	Threads int
	// ProfileDir, when set, asks backends that support it to write a
	// runtime profile there.
	ProfileDir string
	// Overlapped says the caller runs CPU work of its own while the
	// session computes (the accuracy pass scores one group of windows
	// during the next group's forward pass). Backends whose threads
	// busy-wait between operators (ONNX Runtime's intra-op spinning) then
	// block instead, leaving the cores to that work; the Config records
	// the difference.
	Overlapped bool
}

// MaxThreadsPerCore bounds Options.Threads: more than this many threads
// per core of the machine is a typo, not a configuration (ONNX Runtime
// allocates every pool thread up front, so -threads 100000 hangs in session
// creation while memory grows).
const MaxThreadsPerCore = 8

// MaxThreads is the largest thread count a session accepts on this machine:
// MaxThreadsPerCore × runtime.NumCPU().
func MaxThreads() int { return MaxThreadsPerCore * runtime.NumCPU() }

// ErrOptions reports session options out of range.
var ErrOptions = errors.New("invalid session options")

// Check reports options out of range: a negative thread count, or more
// than MaxThreads.
func (o Options) Check() error {
	if o.Threads < 0 || o.Threads > MaxThreads() {
		return fmt.Errorf("%w: threads %d: want 0 (all cores) to %d (%d per core × %d cores on this machine)",
			ErrOptions, o.Threads, MaxThreads(), MaxThreadsPerCore, runtime.NumCPU())
	}
	return nil
}

// EffectiveThreads resolves Threads' zero value to the number of cores.
func (o Options) EffectiveThreads() int {
	if o.Threads > 0 {
		return o.Threads
	}
	return runtime.NumCPU()
}

// Backend is an inference runtime configured for one precision and device.
type Backend interface {
	// Name is the registry key, e.g. "ort-cpu" or "reference".
	Name() string
	// Precision is the numeric precision the backend computes in.
	Precision() model.Precision
	// Device names the hardware, e.g. "cpu" or "cuda:0".
	Device() string
	// Open prepares a session for m. An unavailable backend returns an
	// error wrapping ErrUnavailable.
	Open(m *model.Model, opts Options) (Session, error)
}

// Session runs one model on one backend. Sessions are not safe for
// concurrent use.
type Session interface {
	// Prefill runs a forward pass over batch × seq token ids (row-major) with
	// every position attended, and writes the logits [batch, seq, vocab]
	// into logits, which must hold exactly batch·seq·vocab values and is
	// reused by the caller across calls.
	Prefill(tokens []int64, batch, seq int, logits []float32) error
	// Config reports every option the session was created with, as
	// benchfmt-style key/value pairs, so results record how they were made.
	Config() [][2]string
	// Close releases the session's resources.
	Close() error
}

// DeviceLogits is implemented by sessions on an accelerator that can leave
// the logits in device memory, so a benchmark can time the forward pass
// without the device-to-host copy of [batch, seq, vocab] float32 values
// that Prefill's contract (logits in the caller's host buffer) includes.
type DeviceLogits interface {
	// PrefillDevice runs Prefill's forward pass and leaves the logits on
	// the device.
	PrefillDevice(tokens []int64, batch, seq int) error
	// CopyLogits copies the logits of the last PrefillDevice into logits,
	// which must hold batch·seq·vocab values of that call.
	CopyLogits(logits []float32) error
}

// ErrUnavailable marks a backend that cannot run on this machine or build.
var ErrUnavailable = errors.New("backend unavailable")

// UnavailableError carries the reason a backend cannot run.
type UnavailableError struct {
	Backend string
	Reason  string
}

func (e *UnavailableError) Error() string {
	return fmt.Sprintf("backend %s unavailable: %s", e.Backend, e.Reason)
}

// Is makes errors.Is(err, ErrUnavailable) true.
func (e *UnavailableError) Is(target error) bool { return target == ErrUnavailable }

// Unavailable returns an error saying why backend cannot run.
func Unavailable(backend, format string, args ...any) error {
	return &UnavailableError{Backend: backend, Reason: fmt.Sprintf(format, args...)}
}

// Reason extracts the reason from an unavailable error ("" otherwise).
func Reason(err error) string {
	var u *UnavailableError
	if errors.As(err, &u) {
		return u.Reason
	}
	return ""
}

// CheckLogits validates the caller's output buffer for Prefill.
func CheckLogits(m *model.Model, batch, seq int, logits []float32) error {
	if want := m.LogitsLen(batch, seq); len(logits) != want {
		return fmt.Errorf("model %s: logits buffer holds %d values, batch %d × seq %d × vocab %d needs %d: %w",
			m.Identity.Name, len(logits), batch, seq, m.Vocab, want, model.ErrBadShape)
	}
	return nil
}

// Degrader is implemented by sessions that can find out that they do not
// run as their backend claims — say, an int8 backend whose quantized kernels
// fell back to float. Benchmarks mark such results degraded (a
// "degraded: <reason>" configuration line and a "degraded" metric), and
// benchgate never counts a degraded result as an improvement.
type Degrader interface {
	// Degraded returns why the session is degraded, or "" if it is not.
	Degraded() string
}

// DegradedReason returns s's degradation reason, "" for sessions that are
// not degraded or cannot tell.
func DegradedReason(s Session) string {
	if d, ok := s.(Degrader); ok {
		return d.Degraded()
	}
	return ""
}

// RowPrefiller is implemented by sessions that can compute the logits of
// only the last positions of each sequence. A sliding-window perplexity
// scores only the positions past the previous window's end (with stride =
// window/2, the last half), and the LM head (hidden × vocabulary) is most
// of a small model's forward pass and all of its output traffic, so
// skipping the unscored rows roughly halves the pass.
type RowPrefiller interface {
	// PrefillRows runs Prefill's forward pass over batch × seq token ids
	// (every position attended, as in Prefill) and writes the logits of
	// positions from … seq−1 of each sequence, [batch, seq−from, vocab],
	// into logits, which must hold exactly batch·(seq−from)·vocab values.
	// 0 ≤ from < seq; the values are Prefill's for those rows.
	PrefillRows(tokens []int64, batch, seq, from int, logits []float32) error
}

// CheckRowLogits validates the caller's output buffer and first row for
// PrefillRows.
func CheckRowLogits(m *model.Model, batch, seq, from int, logits []float32) error {
	if from < 0 || from >= seq {
		return fmt.Errorf("model %s: first logits row %d outside sequence of %d: %w", m.Identity.Name, from, seq, model.ErrBadShape)
	}
	if want := m.LogitsLen(batch, seq-from); len(logits) != want {
		return fmt.Errorf("model %s: logits buffer holds %d values, batch %d × rows %d…%d × vocab %d needs %d: %w",
			m.Identity.Name, len(logits), batch, from, seq-1, m.Vocab, want, model.ErrBadShape)
	}
	return nil
}

// ForwardTimer is implemented by sessions that compute in another process
// (a worker) and can tell the time of their last call's forward pass
// alone, measured there and synchronized with the device, without the
// transport. Benchmarks report it beside the round trip
// (worker-forward-p50-ms, overhead-x), so what the transport adds to the
// runtime's own time is on the record.
type ForwardTimer interface {
	LastForward() time.Duration
}
