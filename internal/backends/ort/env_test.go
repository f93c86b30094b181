package ort

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/backends/ort/ortlib"
)

// TestInitUnavailable runs Init in a child process (Init happens once per
// process) whose environment has no library, and checks the error and the
// skip reason; $ONNXRUNTIME_SHARED_LIBRARY_PATH naming no file is an error
// naming it, not a skip.
func TestInitUnavailable(t *testing.T) {
	if os.Getenv("ORT_TEST_CHILD") == "1" {
		initUnavailableChild()
		return
	}
	cache := t.TempDir()
	missing := filepath.Join(t.TempDir(), "libonnxruntime.so")
	bogus := filepath.Join(t.TempDir(), "libonnxruntime.so")
	if err := os.WriteFile(bogus, []byte("not a shared library"), 0o644); err != nil {
		t.Fatal(err)
	}
	unavailable := []string{"is-unavailable=true", "same-error=true", `version=""`, `library=""`, "open-backend=ort-test"}
	tests := []struct {
		name, env string
		want      []string
	}{
		{"no library", "", append(unavailable, "reason=ONNX Runtime shared library not found (looked in $ONNXRUNTIME_SHARED_LIBRARY_PATH (unset) and "+
			searched(cache)+"); run "+setupHint)},
		{"not a library", bogus, append(unavailable, "reason=loading ONNX Runtime from "+bogus+": ")},
		{"variable names no file", missing, []string{"is-unavailable=false", "same-error=true", `version=""`,
			"error=ort: ONNX Runtime library path names no file: $ONNXRUNTIME_SHARED_LIBRARY_PATH=" + missing + ": no such file",
			"open-error=ort-test: ort: ONNX Runtime library path names no file: $ONNXRUNTIME_SHARED_LIBRARY_PATH=" + missing}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestInitUnavailable$", "-test.v")
			cmd.Env = append(os.Environ(), "ORT_TEST_CHILD=1", "XDG_CACHE_HOME="+cache, "ONNXRUNTIME_SHARED_LIBRARY_PATH="+tt.env)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("child: %v\n%s", err, out)
			}
			for _, want := range tt.want {
				if !strings.Contains(string(out), want) {
					t.Errorf("child output lacks %q:\n%s", want, out)
				}
			}
		})
	}
}

// searched is where ortlib.Resolve looks under the cache cache, in this
// build: the GPU build first in builds with a GPU tag.
func searched(cache string) string {
	cpu := filepath.Join(cache, "inferbench/onnxruntime/1.30.0/libonnxruntime.so.1")
	if ortlib.PreferGPU {
		return filepath.Join(cache, "inferbench/onnxruntime/1.30.0-gpu/libonnxruntime.so.1.30.0") + ", " + cpu
	}
	return cpu
}

var setupHint = map[bool]string{
	false: "`make setup`",
	true:  "`make setup ORT_FLAVOR=gpu` (GPU build) or `make setup` (CPU build)",
}[ortlib.PreferGPU]

func initUnavailableChild() {
	err1, err2 := Init(), Init()
	fmt.Printf("is-unavailable=%v\n", errors.Is(err1, backends.ErrUnavailable))
	fmt.Printf("same-error=%v\n", err1 == err2)
	fmt.Printf("reason=%s\n", backends.Reason(err1))
	fmt.Printf("error=%v\n", err1)
	fmt.Printf("version=%q\nlibrary=%q\n", Version(), LibraryPath())
	_, err := Open("ort-test", &model.Model{ONNXPath: "x.onnx"}, Options{})
	fmt.Printf("open-error=%v\n", err)
	var u *backends.UnavailableError
	if errors.As(err, &u) {
		fmt.Printf("open-backend=%s\n", u.Backend)
	}
}
