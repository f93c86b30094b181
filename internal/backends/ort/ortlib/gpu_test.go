package ortlib

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeWheel writes a zip archive holding files (name → body) into dir.
func writeWheel(t *testing.T, dir string, files map[string][]byte) string {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(body); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "pkg.whl")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

var (
	baseLib = []byte("\x7fELF base")
	cudaLib = []byte("\x7fELF cuda provider")
)

func testWheel(t *testing.T, files map[string][]byte) (Wheel, string) {
	t.Helper()
	dir := t.TempDir()
	whl := writeWheel(t, dir, files)
	raw, err := os.ReadFile(whl)
	if err != nil {
		t.Fatal(err)
	}
	return Wheel{
		File:   "pkg.whl",
		SHA256: sum(raw),
		Members: []PinnedFile{
			{"onnxruntime/capi/libonnxruntime.so.1.30.0", sum(baseLib)},
			{"onnxruntime/capi/libonnxruntime_providers_cuda.so", sum(cudaLib)},
		},
		Dir: filepath.Join(dir, "cache", "1.30.0-gpu"),
	}, whl
}

func TestWheelInstallFrom(t *testing.T) {
	good := map[string][]byte{
		"onnxruntime/capi/libonnxruntime.so.1.30.0":         baseLib,
		"onnxruntime/capi/libonnxruntime_providers_cuda.so": cudaLib,
		"onnxruntime/__init__.py":                           []byte("python"),
	}
	tests := []struct {
		name    string
		files   map[string][]byte
		mutate  func(w *Wheel)
		wantErr error
		errText string
	}{
		{name: "ok", files: good},
		{name: "wheel sha256", files: good, mutate: func(w *Wheel) { w.SHA256 = sum([]byte("other")) }, wantErr: ErrChecksum, errText: "pinned"},
		{name: "member sha256", files: good, mutate: func(w *Wheel) { w.Members[1].SHA256 = sum([]byte("x")) }, wantErr: ErrChecksum, errText: "libonnxruntime_providers_cuda.so"},
		{name: "missing member", files: map[string][]byte{"onnxruntime/capi/libonnxruntime.so.1.30.0": baseLib}, wantErr: ErrNoMember, errText: "libonnxruntime_providers_cuda.so"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, whl := testWheel(t, tt.files)
			if tt.mutate != nil {
				tt.mutate(&w)
			}
			err := w.InstallFrom(whl)
			if tt.wantErr == nil {
				if err != nil {
					t.Fatal(err)
				}
				if ok, err := w.Installed(); !ok || err != nil {
					t.Fatalf("Installed = %v, %v after install", ok, err)
				}
				if got, _ := os.ReadFile(w.LibraryPath()); !bytes.Equal(got, baseLib) {
					t.Errorf("base library %q", got)
				}
				assertNoTemp(t, w.Dir)
				return
			}
			if !errors.Is(err, tt.wantErr) || !strings.Contains(err.Error(), tt.errText) || !strings.Contains(err.Error(), whl) {
				t.Fatalf("InstallFrom = %v; want %v naming %q and the wheel", err, tt.wantErr, tt.errText)
			}
			if ok, _ := w.Installed(); ok {
				t.Error("a failed install reports installed")
			}
			assertNoTemp(t, w.Dir)
		})
	}
}

func TestSetupWheelIdempotent(t *testing.T) {
	w, whl := testWheel(t, map[string][]byte{
		"onnxruntime/capi/libonnxruntime.so.1.30.0":         baseLib,
		"onnxruntime/capi/libonnxruntime_providers_cuda.so": cudaLib,
	})
	ctx := context.Background()
	if changed, err := SetupWheel(ctx, w, "unused==0", nil, whl, io.Discard); err != nil || !changed {
		t.Fatalf("first SetupWheel = %v, %v", changed, err)
	}
	fi1, err := os.Stat(w.LibraryPath())
	if err != nil {
		t.Fatal(err)
	}
	// Installed: neither the wheel nor pip is touched.
	t.Setenv("PATH", t.TempDir())
	if changed, err := SetupWheel(ctx, w, "unused==0", nil, "", io.Discard); err != nil || changed {
		t.Fatalf("second SetupWheel = %v, %v; want false, nil", changed, err)
	}
	fi2, _ := os.Stat(w.LibraryPath())
	if !os.SameFile(fi1, fi2) {
		t.Error("second SetupWheel rewrote the library")
	}
	// One damaged member: only the wheel repairs it.
	cuda := filepath.Join(w.Dir, "libonnxruntime_providers_cuda.so")
	if err := os.WriteFile(cuda, []byte("damaged"), 0o644); err != nil {
		t.Fatal(err)
	}
	if changed, err := SetupWheel(ctx, w, "unused==0", nil, whl, io.Discard); err != nil || !changed {
		t.Fatalf("repair SetupWheel = %v, %v", changed, err)
	}
	if got, _ := os.ReadFile(cuda); !bytes.Equal(got, cudaLib) {
		t.Errorf("repaired provider %q", got)
	}
}

func TestSetupWheelWithoutPip(t *testing.T) {
	w, _ := testWheel(t, map[string][]byte{})
	t.Setenv("PATH", t.TempDir()) // no pip3, pip or python3
	_, err := SetupWheel(context.Background(), w, GPURequirement, GPUPipArgs, "", io.Discard)
	if !errors.Is(err, ErrNoPip) {
		t.Fatalf("SetupWheel without pip = %v, want ErrNoPip", err)
	}
	for _, s := range []string{GPURequirement, "pip3", "-wheel"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not mention %q", err, s)
		}
	}
}

// TestPipDownloadArgs runs a fake pip that records its arguments and
// writes a wheel: the pinned flags, the destination and the requirement
// must reach pip, and the wheel it wrote is returned.
func TestPipDownloadArgs(t *testing.T) {
	bin := t.TempDir()
	args := filepath.Join(t.TempDir(), "args")
	script := "#!/bin/sh\necho \"$@\" > " + args + "\nwhile [ $# -gt 0 ]; do if [ \"$1\" = -d ]; then : > \"$2/x-1.0-py3-none-any.whl\"; fi; shift; done\n"
	if err := os.WriteFile(filepath.Join(bin, "pip3"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin)
	dir := t.TempDir()
	whl, err := PipDownload(context.Background(), dir, GPURequirement, GPUPipArgs, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if whl != filepath.Join(dir, "x-1.0-py3-none-any.whl") {
		t.Errorf("wheel %s", whl)
	}
	got, _ := os.ReadFile(args)
	want := strings.Join(GPUPipArgs, " ") + " -d " + dir + " " + GPURequirement + "\n"
	if string(got) != want {
		t.Errorf("pip got %q, want %q", got, want)
	}
}

func TestGPUDir(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", "/xdg")
	got, err := GPUDir()
	if err != nil || got != "/xdg/inferbench/onnxruntime/1.30.0-gpu" {
		t.Errorf("GPUDir = %q, %v", got, err)
	}
	if len(GPUMembers) != 4 || GPUMembers[0].Name != "onnxruntime/capi/libonnxruntime.so.1.30.0" {
		t.Errorf("GPUMembers %v: the base library must come first (Wheel.LibraryPath)", GPUMembers)
	}
}

func TestResolvePrefersFirstCache(t *testing.T) {
	const gpu, cpu = "/c/1.30.0-gpu/libonnxruntime.so.1.30.0", "/c/1.30.0/libonnxruntime.so.1"
	both := func(p string) bool { return p == gpu || p == cpu }
	if got, err := resolve("", both, gpu, cpu); err != nil || got != gpu {
		t.Errorf("resolve = %q, %v; want the GPU build", got, err)
	}
	cpuOnly := func(p string) bool { return p == cpu }
	if got, err := resolve("", cpuOnly, gpu, cpu); err != nil || got != cpu {
		t.Errorf("resolve = %q, %v; want the CPU library when the GPU build is absent", got, err)
	}
	_, err := resolve("", func(string) bool { return false }, gpu, cpu)
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), gpu) || !strings.Contains(err.Error(), cpu) {
		t.Errorf("resolve with nothing = %v; want ErrNotFound naming both places", err)
	}
}

// TestPinnedGPUWheel installs the real pinned wheel when
// $INFERBENCH_ORT_GPU_WHEEL names it (it is 247 MB: no test downloads it).
func TestPinnedGPUWheel(t *testing.T) {
	whl := os.Getenv("INFERBENCH_ORT_GPU_WHEEL")
	if whl == "" {
		t.Skip("set INFERBENCH_ORT_GPU_WHEEL to the pinned " + GPUWheel + " to check its pins")
	}
	w, err := GPUTarget()
	if err != nil {
		t.Fatal(err)
	}
	w.Dir = t.TempDir()
	if err := w.InstallFrom(whl); err != nil {
		t.Fatal(err)
	}
}
