package isolate_test

import (
	"errors"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/internal/backends/isolate"
)

// probes are deliberately broken backends, run in child processes.
func probe(name string) error {
	switch name {
	case "works":
		return nil
	case "killed": // a crash by signal, as a segfault in C code under a handler-free runtime
		syscall.Kill(os.Getpid(), syscall.SIGKILL)
		time.Sleep(time.Minute)
	case "segfault": // a segfault the Go runtime reports (status 2)
		var p *int
		_ = *p
	case "hangs":
		time.Sleep(time.Hour)
	case "unavailable":
		return backends.Unavailable(name, "no GPU in the child")
	case "fails":
		return errors.New("open failed")
	}
	return nil
}

func TestMain(m *testing.M) {
	isolate.SetProbe(probe)
	isolate.Child()
	os.Exit(m.Run())
}

func TestCheck(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	tests := []struct {
		backend string
		timeout time.Duration
		reason  []string // substrings; none: the probe passes
	}{
		{"works", time.Minute, nil},
		{"killed", time.Minute, []string{"crashed", "signal SIGKILL"}},
		{"segfault", time.Minute, []string{"exited with status 2", "nil pointer dereference"}},
		{"hangs", 2 * time.Second, []string{"hung", "2s"}},
		{"unavailable", time.Minute, []string{"no GPU in the child"}},
		{"fails", time.Minute, []string{"exited with status 1", "open failed"}},
	}
	for _, tt := range tests {
		t.Run(tt.backend, func(t *testing.T) {
			t.Parallel()
			err := isolate.Check(tt.backend, tt.timeout)
			if tt.reason == nil {
				if err != nil {
					t.Fatalf("Check = %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, backends.ErrUnavailable) {
				t.Fatalf("Check = %v, want an unavailable error", err)
			}
			var u *backends.UnavailableError
			if !errors.As(err, &u) || u.Backend != tt.backend {
				t.Errorf("error %v does not name backend %s", err, tt.backend)
			}
			for _, s := range tt.reason {
				if !strings.Contains(backends.Reason(err), s) {
					t.Errorf("reason %q does not mention %q", backends.Reason(err), s)
				}
			}
			t.Logf("reason: %s", backends.Reason(err))
			// The verdict is cached: no second child.
			if err2 := isolate.Check(tt.backend, tt.timeout); err2 != err {
				t.Errorf("second Check = %v, want the cached %v", err2, err)
			}
		})
	}
}
