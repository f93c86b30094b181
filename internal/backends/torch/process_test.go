package torch

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// fakeEnv makes the test binary act as a worker (see fakeWorker).
const fakeEnv = "INFERBENCH_TORCH_FAKE_WORKER"

const fakeVocab = 3

func TestMain(m *testing.M) {
	if mode := os.Getenv(fakeEnv); mode != "" {
		os.Exit(fakeWorker(mode))
	}
	os.Exit(m.Run())
}

// fakeWorker speaks the worker protocol. Logits are token·10 + vocab index;
// token 99 gets an error frame. Modes: ok; die (exits after reading the
// second request); hang (never answers); import (no torch); garbage (a
// non-JSON ready line); deaf (ignores stdin); silent (exits before the ready line).
func fakeWorker(mode string) int {
	fmt.Fprintln(os.Stderr, "fake worker starting in mode", mode)
	switch mode {
	case "import":
		fmt.Println(`{"ready": false, "import": "torch", "error": "ModuleNotFoundError: No module named 'torch'"}`)
		return 3
	case "garbage":
		fmt.Println("Traceback (most recent call last):")
		return 1
	case "silent":
		fmt.Fprintln(os.Stderr, "Segmentation fault")
		return 139
	}
	if mode == "deaf" {
		fmt.Println(`{"ready": true}`)
		time.Sleep(time.Hour)
	}
	fmt.Println(`{"ready": true, "torch": "0.fake", "transformers": "0.fake", "device": "cpu", "mode": "eager", "tf32": false, "threads": 1}`)
	var shm, echo []float32
	for calls := 1; ; calls++ {
		q, err := decodeRequest(os.Stdin)
		if err != nil {
			return 0 // stdin closed
		}
		if q.op == opMap {
			shm = fakeMap(string(q.payload), int(q.arg)<<20, mode == "noshm")
			if shm == nil {
				encodeError(os.Stdout, "OSError: cannot map "+string(q.payload))
				continue
			}
			encodeResponse(os.Stdout, 0, whereNone, 0, nil)
			continue
		}
		if q.op == opEcho {
			if len(echo) != int(q.arg) {
				echo = make([]float32, q.arg)
			}
			if shm != nil && len(shm) >= len(echo) {
				encodeResponse(os.Stdout, 0, whereShm, len(echo), nil)
			} else {
				encodeResponse(os.Stdout, 0, whereInline, len(echo), echo)
			}
			continue
		}
		toks := q.tokens
		switch {
		case mode == "die" && calls == 3:
			fmt.Fprintln(os.Stderr, "CUDA error: an illegal memory access was encountered")
			return 1
		case mode == "hang" && calls > 1:
			time.Sleep(time.Hour)
		case toks[0] == 99:
			encodeError(os.Stdout, "RuntimeError: token 99 is cursed")
			continue
		}
		logits := make([]float32, 0, len(toks)*fakeVocab)
		for _, t := range toks {
			for v := range fakeVocab {
				logits = append(logits, float32(t*10)+float32(v))
			}
		}
		if shm != nil && len(shm) >= len(logits) {
			copy(shm, logits)
			encodeResponse(os.Stdout, 1234, whereShm, len(logits), nil)
			continue
		}
		encodeResponse(os.Stdout, 1234, whereInline, len(logits), logits)
	}
}

func startFake(t *testing.T, mode string, callTimeout time.Duration) (*worker, Ready, error) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Skipf("cannot re-execute the test binary: %v", err)
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), fakeEnv+"="+mode)
	return startWorker("torch-fake", cmd, 10*time.Second, callTimeout)
}

func TestWorkerRoundTrip(t *testing.T) {
	w, r, err := startFake(t, "ok", 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if r.Torch != "0.fake" || r.Device != "cpu" || r.TF32 {
		t.Errorf("ready %+v", r)
	}
	logits := make([]float32, 2*fakeVocab)
	for _, toks := range [][]int64{{1, 2}, {5, 7}} {
		d, err := w.roundTrip(toks, 1, 2, logits)
		if err != nil {
			t.Fatal(err)
		}
		if d != 1234 {
			t.Errorf("forward %v, want 1.234µs", d)
		}
		want := []float32{float32(toks[0] * 10), float32(toks[0]*10 + 1), float32(toks[0]*10 + 2), float32(toks[1] * 10), float32(toks[1]*10 + 1), float32(toks[1]*10 + 2)}
		for i := range want {
			if logits[i] != want[i] {
				t.Fatalf("tokens %v: logits %v, want %v", toks, logits, want)
			}
		}
	}
	// An error frame is an error naming the backend; the worker stays usable.
	_, err = w.roundTrip([]int64{99, 1}, 1, 2, logits)
	if !errors.Is(err, ErrWorker) || !strings.Contains(err.Error(), "torch-fake") || !strings.Contains(err.Error(), "cursed") {
		t.Errorf("error frame gave %v", err)
	}
	if _, err := w.roundTrip([]int64{3, 4}, 1, 2, logits); err != nil || logits[0] != 30 {
		t.Errorf("after an error frame: %v, logits %v", err, logits)
	}
	toks := []int64{3, 4}
	if n := testing.AllocsPerRun(20, func() {
		if _, err := w.roundTrip(toks, 1, 2, logits); err != nil {
			t.Fatal(err)
		}
	}); n > 0 {
		t.Errorf("round trip allocates %v times per call", n)
	}
	if err := w.close(5 * time.Second); err != nil {
		t.Errorf("close: %v", err)
	}
}

func TestWorkerDiesMidCall(t *testing.T) {
	w, _, err := startFake(t, "die", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	logits := make([]float32, fakeVocab)
	if _, err := w.roundTrip([]int64{1}, 1, 1, logits); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = w.roundTrip([]int64{1}, 1, 1, logits)
	if !errors.Is(err, ErrWorkerExited) || !strings.Contains(err.Error(), "illegal memory access") {
		t.Errorf("death mid-call gave %v; want ErrWorkerExited quoting stderr", err)
	}
	if el := time.Since(start); el > 10*time.Second {
		t.Errorf("death noticed after %v", el)
	}
	if _, err2 := w.roundTrip([]int64{1}, 1, 1, logits); !errors.Is(err2, ErrWorkerExited) {
		t.Errorf("call after death: %v", err2)
	}
	w.close(time.Second) // exit status 1 is reported; nothing to check
}

func TestWorkerHangTimesOut(t *testing.T) {
	w, _, err := startFake(t, "hang", 300*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	_, err = w.roundTrip([]int64{1}, 1, 1, make([]float32, fakeVocab))
	if !errors.Is(err, ErrTimeout) {
		t.Errorf("hung worker gave %v, want ErrTimeout", err)
	}
	w.close(time.Second)
}

func TestWorkerStartFailures(t *testing.T) {
	for _, tc := range []struct {
		mode, want string
	}{
		{"import", "No module named 'torch'"},
		{"garbage", "ready line"},
		{"silent", "Segmentation fault"},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			w, _, err := startFake(t, tc.mode, time.Second)
			if err == nil {
				w.close(time.Second)
				t.Fatal("started")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not mention %q", err, tc.want)
			}
			var ie *importError
			if errors.As(err, &ie) != (tc.mode == "import") {
				t.Errorf("importError: %v for mode %s", errors.As(err, &ie), tc.mode)
			}
		})
	}
}

func TestCloseKillsDeafWorker(t *testing.T) {
	w, _, err := startFake(t, "deaf", time.Second)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	err = w.close(300 * time.Millisecond)
	if err == nil || !strings.Contains(err.Error(), "killed") {
		t.Errorf("close of a worker ignoring EOF: %v", err)
	}
	if el := time.Since(start); el > 5*time.Second {
		t.Errorf("close took %v", el)
	}
}

// TestTransports checks both ways logits reach the host: the shared
// segment, and the pipe when the worker cannot map it.
func TestTransports(t *testing.T) {
	for _, tc := range []struct{ mode, want string }{
		{"ok", "shared memory"},
		{"noshm", "pipe"},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			w, _, err := startFake(t, tc.mode, 10*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			defer w.close(5 * time.Second)
			// Larger than the first segment: the segment is replaced.
			toks := make([]int64, 1<<17)
			for i := range toks {
				toks[i] = int64(i % 1000)
			}
			logits := make([]float32, len(toks)*fakeVocab)
			for round := range 2 {
				if _, err := w.roundTrip(toks, 1, len(toks), logits); err != nil {
					t.Fatal(err)
				}
				for i, tok := range toks {
					if logits[i*fakeVocab+2] != float32(tok*10+2) {
						t.Fatalf("round %d: logit %d = %v", round, i, logits[i*fakeVocab+2])
					}
				}
			}
			if got := w.transport(); !strings.Contains(got, tc.want) {
				t.Errorf("transport %q, want %s", got, tc.want)
			}
			if tc.mode == "noshm" && !strings.Contains(w.transport(), "cannot map") {
				t.Errorf("transport %q does not say why the segment was not used", w.transport())
			}
		})
	}
}

// BenchmarkTransport times moving logits from the (fake) worker into the
// caller's buffer, per MB, through each transport; worker.py's echo op
// measures the same with torch (conformance_test.go).
func BenchmarkTransport(b *testing.B) {
	for _, mode := range []string{"ok", "noshm"} {
		for _, mb := range []int{1, 16} {
			b.Run(fmt.Sprintf("transport=%s/MB=%d", map[string]string{"ok": "shm", "noshm": "pipe"}[mode], mb), func(b *testing.B) {
				exe, _ := os.Executable()
				cmd := exec.Command(exe)
				cmd.Env = append(os.Environ(), fakeEnv+"="+mode)
				w, _, err := startWorker("torch-fake", cmd, 10*time.Second, time.Minute)
				if err != nil {
					b.Fatal(err)
				}
				defer w.close(5 * time.Second)
				logits := make([]float32, mb<<20/4)
				if err := w.ensure(len(logits)); err != nil {
					b.Fatal(err)
				}
				b.SetBytes(int64(4 * len(logits)))
				for b.Loop() {
					if _, err := w.call(opEcho, 0, 0, uint32(len(logits)), nil, nil, logits); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
