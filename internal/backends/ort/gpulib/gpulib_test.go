package gpulib

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// cudaProvider is the installed GPU build's CUDA provider (make setup
// ORT_FLAVOR=gpu), or the test is skipped.
func cudaProvider(t *testing.T) string {
	t.Helper()
	dir, err := os.UserCacheDir()
	if err != nil {
		t.Skip(err)
	}
	p := filepath.Join(dir, "inferbench", "onnxruntime", "1.30.0-gpu", "libonnxruntime_providers_cuda.so")
	if _, err := os.Stat(p); err != nil {
		t.Skipf("no GPU build installed (make setup ORT_FLAVOR=gpu): %v", err)
	}
	return p
}

func TestNeededCUDAProvider(t *testing.T) {
	p := cudaProvider(t)
	got, err := Needed(p, "libcudnn.so.9")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"libcublasLt.so.13", "libcublas.so.13", "libcurand.so.10", "libcudart.so.13", "libcuda.so.1", "libcudnn.so.9"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Needed = %v, want %v", got, want)
	}
}

// TestPreloadMissing: where no folder holds cuBLAS Lt (this machine has
// no CUDA), Preload names the first missing soname and where it looked.
func TestPreloadMissing(t *testing.T) {
	p := cudaProvider(t)
	empty := t.TempDir()
	_, err := Preload(p, []string{empty}, "libcudnn.so.9")
	var me *MissingError
	if !errors.As(err, &me) || me.Soname != "libcublasLt.so.13" {
		t.Fatalf("Preload = %v, want a MissingError for libcublasLt.so.13", err)
	}
	for _, s := range []string{"libcublasLt.so.13", "libonnxruntime_providers_cuda.so", empty, EnvLibraryPath} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not mention %q", err, s)
		}
	}
}

func TestFind(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	for _, f := range []string{filepath.Join(a, "libx.so.1"), filepath.Join(b, "libx.so.1"), filepath.Join(b, "liby.so.2")} {
		if err := os.WriteFile(f, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := Find([]string{"liby.so.2", "libx.so.1", Driver}, []string{a, b}, "libz.so")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(b, "liby.so.2"), filepath.Join(a, "libx.so.1"), Driver}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Find = %v, want %v (first folder wins, driver left to the linker)", got, want)
	}
	_, err = Find([]string{"libx.so.1", "libmissing.so.9"}, []string{a, b}, "/p/libz.so")
	var me *MissingError
	if !errors.As(err, &me) || me.Soname != "libmissing.so.9" || !strings.Contains(err.Error(), "needed by libz.so") {
		t.Errorf("Find = %v, want a MissingError for libmissing.so.9", err)
	}
}

func TestDirsEnvFirst(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	t.Setenv(EnvLibraryPath, a+":/does/not/exist")
	t.Setenv("LD_LIBRARY_PATH", b+":"+a)
	dirs := Dirs()
	if len(dirs) < 2 || dirs[0] != a || dirs[1] != b {
		t.Errorf("Dirs = %v; want %s then %s first, each once, missing folders dropped", dirs, a, b)
	}
}

func TestOpen(t *testing.T) {
	if err := Open("libm.so.6"); err != nil {
		t.Errorf("Open(libm.so.6): %v", err)
	}
	bad := filepath.Join(t.TempDir(), "libbad.so")
	if err := os.WriteFile(bad, []byte("not ELF"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Open(bad); !errors.Is(err, ErrLoad) || !strings.Contains(err.Error(), bad) {
		t.Errorf("Open(garbage) = %v, want ErrLoad naming the file", err)
	}
	var me *MissingError
	if err := Open("libinferbench-no-such.so.7"); !errors.As(err, &me) {
		t.Errorf("Open(unknown soname) = %v, want a MissingError", err)
	}
}

const mapsText = `00400000-00452000 r-xp 00000000 08:02 173521      /usr/bin/test
7f0000000000-7f0000001000 r--p 00000000 08:02 1 /root/.cache/inferbench/onnxruntime/1.30.0-gpu/libonnxruntime.so.1.30.0
7f0000001000-7f0000002000 r-xp 00001000 08:02 1 /root/.cache/inferbench/onnxruntime/1.30.0-gpu/libonnxruntime.so.1.30.0
7f0000003000-7f0000004000 r-xp 00000000 08:02 2 /usr/local/cuda/lib64/libcublasLt.so.13.1.0.3
7f0000005000-7f0000006000 r-xp 00000000 08:02 3 /opt/v/nvidia/cudnn/lib/libcudnn.so.9
7f0000006000-7f0000007000 r-xp 00000000 08:02 4 /usr/lib/x86_64-linux-gnu/libc.so.6
7f0000007000-7f0000008000 rw-p 00000000 00:00 0 [heap]
7f0000008000-7f0000009000 rw-s 00000000 00:01 5 /dev/nvidia0
`

func TestParseMaps(t *testing.T) {
	got, err := parseMaps(strings.NewReader(mapsText), NVIDIA...)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"/root/.cache/inferbench/onnxruntime/1.30.0-gpu/libonnxruntime.so.1.30.0",
		"/usr/local/cuda/lib64/libcublasLt.so.13.1.0.3",
		"/opt/v/nvidia/cudnn/lib/libcudnn.so.9",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("parseMaps = %v, want %v", got, want)
	}
	lines := ConfigLines("ort-loaded-", append(want, "/other/libcudnn.so.9"))
	if lines[1] != [2]string{"ort-loaded-libcublaslt", want[1]} || lines[3][0] != "ort-loaded-libcudnn-2" {
		t.Errorf("ConfigLines = %v", lines)
	}
}

func TestLoadedSelf(t *testing.T) {
	libs, err := Loaded("libc.so")
	if err != nil {
		t.Fatal(err)
	}
	if len(libs) != 1 || !strings.HasPrefix(libs[0], "/") {
		t.Errorf("Loaded(libc.so) = %v; a cgo test binary maps one libc", libs)
	}
}

// TestCUDARuntime: without CUDA (this machine), LoadCUDARuntime
// names the soname; with it, a round trip through device memory works.
func TestCUDARuntime(t *testing.T) {
	if err := LoadCUDARuntime(); err != nil {
		var me *MissingError
		if !errors.As(err, &me) || me.Soname != CUDARuntime {
			t.Fatalf("LoadCUDARuntime = %v, want a MissingError for %s", err, CUDARuntime)
		}
		t.Skipf("no CUDA runtime: %v", err)
	}
	b, err := Malloc(0, 64)
	if err != nil {
		t.Skipf("no CUDA device: %v", err)
	}
	defer b.Free()
	in := []int64{1, -2, 3, 1 << 40}
	if err := CopyIn(b, in); err != nil {
		t.Fatal(err)
	}
	out := make([]int64, 4)
	if err := CopyOut(out, b); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(in, out) {
		t.Errorf("round trip %v, want %v", out, in)
	}
}
