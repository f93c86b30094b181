package isolate

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/internal/memo"
)

// EnvProbe names the backend a child process must probe.
const EnvProbe = "INFERBENCH_ISOLATE_PROBE"

// Marker is the line a child prints when its probe succeeded.
const Marker = "inferbench-isolate-probe: ok"

// exitUnavailable is the child's exit status when the probe reports the
// backend unavailable; its reason is on stdout after unavailablePrefix.
const (
	exitUnavailable   = 3
	unavailablePrefix = "inferbench-isolate-unavailable: "
)

// DefaultTimeout bounds a child's probe.
const DefaultTimeout = 3 * time.Minute

// Probe checks one backend in the child process: nil if it works, an error
// (an unavailable one for a backend that cannot run) otherwise.
type Probe func(backend string) error

var probe Probe

// SetProbe registers the probe Child runs. Call it before Child.
func SetProbe(p Probe) { probe = p }

// Child runs the registered probe and exits when this process is a probe
// child (EnvProbe set); otherwise it returns at once. Call it first in
// TestMain.
func Child() {
	name := os.Getenv(EnvProbe)
	if name == "" {
		return
	}
	if probe == nil {
		fmt.Fprintln(os.Stderr, "isolate: no probe registered (SetProbe before Child)")
		os.Exit(2)
	}
	if err := probe(name); err != nil {
		if r := backends.Reason(err); r != "" {
			fmt.Println(unavailablePrefix + strings.ReplaceAll(r, "\n", " "))
			os.Exit(exitUnavailable)
		}
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(Marker)
	os.Exit(0)
}

// verdicts are the probes' results, one per backend and process.
var verdicts memo.Map[string, struct{}]

// Check probes backend in a child process once per process and returns
// nil if the probe succeeded, else an error wrapping
// backends.ErrUnavailable whose reason says how the child failed: killed by
// a signal, exited with a status (with the last lines of its output), timed
// out, or reported the backend unavailable itself.
func Check(backend string, timeout time.Duration) error {
	_, err := verdicts.Get(backend, func() (struct{}, error) { return struct{}{}, run(backend, timeout) })
	return err
}

func run(backend string, timeout time.Duration) error {
	exe, err := os.Executable()
	if err != nil {
		return backends.Unavailable(backend, "isolation probe: cannot find this executable: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, exe, "-test.run=^$", "-test.bench=^$")
	cmd.Env = append(os.Environ(), EnvProbe+"="+backend)
	cmd.WaitDelay = 5 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err = cmd.Run()
	took := time.Since(start).Round(time.Millisecond)
	if ctx.Err() == context.DeadlineExceeded {
		return backends.Unavailable(backend, "isolation probe hung: no answer from the child process within %v (killed)", timeout)
	}
	if err == nil {
		if !strings.Contains(stdout.String(), Marker) {
			return backends.Unavailable(backend, "isolation probe: the child process exited without probing (does TestMain call isolate.Child?)")
		}
		return nil
	}
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		return backends.Unavailable(backend, "isolation probe: %v", err)
	}
	if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return backends.Unavailable(backend, "isolation probe crashed: child process killed by signal %s (%s) after %v%s", signalName(ws.Signal()), ws.Signal(), took, tail(&stderr))
	}
	if ee.ExitCode() == exitUnavailable {
		for _, line := range strings.Split(stdout.String(), "\n") {
			if r, ok := strings.CutPrefix(line, unavailablePrefix); ok {
				return backends.Unavailable(backend, "%s", r)
			}
		}
	}
	return backends.Unavailable(backend, "isolation probe failed: child process exited with status %d after %v%s", ee.ExitCode(), took, tail(&stderr))
}

// tail summarises a failed child's stderr: the Go runtime's "signal SIG…"
// line if it crashed in C code, else its last non-empty lines.
func tail(stderr *bytes.Buffer) string {
	lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
	for _, l := range lines {
		if strings.HasPrefix(l, "SIG") || strings.HasPrefix(l, "signal ") || strings.HasPrefix(l, "fatal error") || strings.HasPrefix(l, "panic:") {
			return ": " + strings.TrimSpace(l)
		}
	}
	var keep []string
	for i := len(lines) - 1; i >= 0 && len(keep) < 3; i-- {
		if l := strings.TrimSpace(lines[i]); l != "" {
			keep = append([]string{l}, keep...)
		}
	}
	if len(keep) == 0 {
		return ""
	}
	return ": " + strings.Join(keep, " | ")
}

func signalName(s syscall.Signal) string {
	names := map[syscall.Signal]string{
		syscall.SIGSEGV: "SIGSEGV", syscall.SIGABRT: "SIGABRT", syscall.SIGKILL: "SIGKILL",
		syscall.SIGBUS: "SIGBUS", syscall.SIGILL: "SIGILL", syscall.SIGFPE: "SIGFPE", syscall.SIGTERM: "SIGTERM",
	}
	if n, ok := names[s]; ok {
		return n
	}
	return fmt.Sprintf("signal %d", int(s))
}
