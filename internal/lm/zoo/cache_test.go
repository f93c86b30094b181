package zoo

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/atomicfile"
	"github.com/inferbench/inferbench/internal/cachefile"
	"github.com/inferbench/inferbench/internal/filehash"
	"github.com/inferbench/inferbench/internal/lm/gpt2"
)

// Child-process roles of the cache tests (see TestCacheChild).
const (
	envChild    = "INFERBENCH_ZOO_CACHE_CHILD"
	envChildDir = "INFERBENCH_ZOO_CACHE_DIR"
)

func cacheModel(tb testing.TB, dir string) *model.Model {
	tb.Helper()
	m, err := FromWeights("cache-test", "", small, gpt2.Seeded(small, 7), model.Seeded, Options{CacheDir: dir})
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// TestCacheCorruptByteRebuilt: one byte flipped in a cached model.onnx is
// found on the next use, the file is rebuilt, and the identity records the
// rebuilt (original) file's sha256, not the corrupt one's.
func TestCacheCorruptByteRebuilt(t *testing.T) {
	dir := t.TempDir()
	m := cacheModel(t, dir)
	good, err := os.ReadFile(m.ONNXPath)
	if err != nil {
		t.Fatal(err)
	}
	bad := bytes.Clone(good)
	bad[len(bad)/2] ^= 0x01
	if err := os.WriteFile(m.ONNXPath, bad, 0o644); err != nil {
		t.Fatal(err)
	}
	cachefile.Forget()
	m2 := cacheModel(t, dir)
	now, err := os.ReadFile(m2.ONNXPath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(now, good) {
		t.Fatal("the corrupt cache file was not rebuilt")
	}
	if m2.Identity.ONNXSHA256 != filehash.Bytes(good) || m2.Identity.ONNXSHA256 != m.Identity.ONNXSHA256 {
		t.Errorf("identity records onnx sha256 %s, want the rebuilt file's %s", m2.Identity.ONNXSHA256, filehash.Bytes(good))
	}
	// Within a process, a rewrite changes the stamp (size, mtime, inode) and
	// is caught without forgetting.
	if err := os.WriteFile(m.ONNXPath, bad, 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chtimes(m.ONNXPath, time.Time{}, time.Now().Add(time.Second))
	if _, err := cached(m.ONNXPath); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), m.ONNXPath) {
		t.Errorf("cached after a rewrite: %v, want ErrCorrupt naming %s", err, m.ONNXPath)
	}
}

// TestCacheKilledBuildCleaned: a process killed while writing a cache
// entry leaves its temporary; the next run removes it and builds.
func TestCacheKilledBuildCleaned(t *testing.T) {
	dir := t.TempDir()
	m := cacheModel(t, dir)
	entry := filepath.Dir(m.ONNXPath)
	os.Remove(m.ONNXPath)
	os.Remove(m.ONNXPath + ".sha256")

	cmd := exec.Command(os.Args[0], "-test.run=^TestCacheChild$")
	cmd.Env = append(os.Environ(), envChild+"=hang-writing", envChildDir+"="+m.ONNXPath)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 64)
	n, _ := io.ReadAtLeast(out, buf, len("writing"))
	if !strings.Contains(string(buf[:n]), "writing") {
		cmd.Process.Kill()
		t.Fatalf("child said %q", buf[:n])
	}
	cmd.Process.Kill()
	cmd.Wait()
	temps, _ := filepath.Glob(filepath.Join(entry, ".model.onnx.tmp-*"))
	if len(temps) != 1 {
		t.Fatalf("killed child left %v, want one temporary", temps)
	}

	sweepOnce.Clear()
	cachefile.Forget()
	m2, err := Resolve("gpt2-tiny", Options{CacheDir: dir}) // any Resolve sweeps the cache
	if err != nil {
		t.Fatal(err)
	}
	_ = m2
	if left, _ := filepath.Glob(filepath.Join(entry, ".model.onnx.tmp-*")); len(left) != 0 {
		t.Errorf("temporaries left after the next run: %v", left)
	}
	m3 := cacheModel(t, dir)
	if m3.Identity.ONNXSHA256 != m.Identity.ONNXSHA256 {
		t.Errorf("rebuilt entry sha256 %s, want %s", m3.Identity.ONNXSHA256, m.Identity.ONNXSHA256)
	}
}

// TestCacheConcurrentBuild: goroutines of this process and two other
// processes build the same entry at once; every one gets the same valid
// file and no temporary is left.
func TestCacheConcurrentBuild(t *testing.T) {
	dir := t.TempDir()
	var procs []*exec.Cmd
	for range 2 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCacheChild$")
		cmd.Env = append(os.Environ(), envChild+"=build", envChildDir+"="+dir)
		cmd.Stdout = new(bytes.Buffer)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		procs = append(procs, cmd)
	}
	const n = 8
	sums := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			m, err := FromWeights("cache-test", "", small, gpt2.Seeded(small, 7), model.Seeded, Options{CacheDir: dir})
			if err != nil {
				t.Error(err)
				return
			}
			sums[i] = m.Identity.ONNXSHA256
		})
	}
	wg.Wait()
	for _, p := range procs {
		if err := p.Wait(); err != nil {
			t.Errorf("child build: %v", err)
		}
		for _, line := range strings.Split(p.Stdout.(*bytes.Buffer).String(), "\n") {
			if sum, ok := strings.CutPrefix(line, "built "); ok {
				sums = append(sums, sum)
			}
		}
	}
	if len(sums) != n+2 {
		t.Fatalf("%d results, want %d from goroutines and 2 from child processes", len(sums), n+2)
	}
	cachefile.Forget()
	m := cacheModel(t, dir)
	got, err := filehash.File(m.ONNXPath)
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range sums {
		if s != got {
			t.Errorf("goroutine %d recorded %s, the file's sha256 is %s", i, s, got)
		}
	}
	if temps, _ := filepath.Glob(filepath.Join(filepath.Dir(m.ONNXPath), ".*.tmp-*")); len(temps) != 0 {
		t.Errorf("temporaries left: %v", temps)
	}
}

// TestCacheChild is the child process of the tests above; it does nothing
// in a normal run.
func TestCacheChild(t *testing.T) {
	switch os.Getenv(envChild) {
	case "hang-writing":
		path := os.Getenv(envChildDir)
		atomicfile.Write(path, func(w io.Writer) error {
			w.Write(make([]byte, 4096))
			w.(interface{ Flush() error }).Flush()
			fmt.Println("writing")
			time.Sleep(time.Minute) // killed here
			return nil
		})
	case "build":
		var sum string
		for range 3 {
			sum = cacheModel(t, os.Getenv(envChildDir)).Identity.ONNXSHA256
		}
		fmt.Println("built", sum)
	}
}

// TestCacheOverwrittenRowsGraphRebuilt: 16 KB overwritten in a cached
// accuracy (row-prefill) graph is found on the next use and rebuilt, not
// run and blamed on the backend.
func TestCacheOverwrittenRowsGraphRebuilt(t *testing.T) {
	m := cacheModel(t, t.TempDir())
	path, err := Rows(m)
	if err != nil {
		t.Fatal(err)
	}
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	bad := bytes.Clone(good)
	n := min(16<<10, len(bad)/2)
	copy(bad[len(bad)/4:], make([]byte, n))
	if err := os.WriteFile(path, bad, 0o644); err != nil {
		t.Fatal(err)
	}
	cachefile.Forget()
	if _, err := Rows(m); err != nil {
		t.Fatal(err)
	}
	if now, _ := os.ReadFile(path); !bytes.Equal(now, good) {
		t.Error("the overwritten row-prefill graph was not rebuilt")
	}
}
