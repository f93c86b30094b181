package atomicfile

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"
)

// TestCleanStale: temporaries of a dead writer and old ones go; this
// process' own, a live writer's young one and other files stay.
func TestCleanStale(t *testing.T) {
	dir := t.TempDir()
	dead := deadPID(t)
	files := map[string]bool{ // name → removed
		".m.onnx.tmp-" + strconv.Itoa(dead) + "-1":        true,
		".m.onnx.tmp-" + strconv.Itoa(os.Getpid()) + "-2": false,
		".m.onnx.tmp-123abc":                              false, // no PID, young
		".m.onnx.tmp-old":                                 true,  // no PID, old
		"m.onnx":                                          false,
		"probe-" + strconv.Itoa(dead) + "-x":              false, // other prefix
	}
	for name := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-2 * StaleAge)
	os.Chtimes(filepath.Join(dir, ".m.onnx.tmp-old"), old, old)
	removed, err := CleanStale(dir, "", StaleAge)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range files {
		got := slices.Contains(removed, filepath.Join(dir, name))
		if got != want {
			t.Errorf("%s: removed %v, want %v", name, got, want)
		}
	}
	if removed, _ := CleanStale(dir, "probe-", StaleAge); len(removed) != 1 {
		t.Errorf("prefix probe-: removed %v, want the dead writer's directory", removed)
	}
}

// deadPID returns the PID of a process that has exited.
func deadPID(t *testing.T) int {
	p, err := os.StartProcess("/bin/true", []string{"true"}, &os.ProcAttr{})
	if err != nil {
		t.Skipf("cannot start a process to get a dead PID: %v", err)
	}
	p.Wait()
	return p.Pid
}
