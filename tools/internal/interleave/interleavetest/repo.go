package interleavetest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Pkg is the benchmark package directory, relative to the repository.
const Pkg = "./bench"

const benchSource = `package bench

import (
	"flag"
	"fmt"
	"os"
	"testing"
)

var (
	label = flag.String("label", "", "printed as a benchfmt configuration line; \"fail\" fails")
	order = flag.String("order", "", "append the revision to this file")
)

const revision = "REVISION"

const work = WORK

func TestMain(m *testing.M) {
	flag.Parse()
	if *order != "" {
		f, err := os.OpenFile(*order, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			panic(err)
		}
		fmt.Fprintln(f, revision)
		f.Close()
	}
	if *label == "fail" {
		fmt.Println("FAIL: told to")
		os.Exit(1)
	}
	if *label != "" {
		fmt.Printf("label: %s\n", *label)
	}
	os.Exit(m.Run())
}

var sink uint64

func BenchmarkWork(b *testing.B) {
	for range b.N {
		x := uint64(1)
		for i := range work {
			x = x*6364136223846793005 + uint64(i)
		}
		sink += x
	}
}
`

// Source returns the benchmark package's source at a revision doing work
// multiply-adds per iteration.
func Source(revision string, work int) string {
	return strings.NewReplacer("REVISION", revision, "WORK", strconv.Itoa(work)).Replace(benchSource)
}

// Git runs git in dir with a fixed identity and returns its output.
func Git(t testing.TB, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "user.name=test", "-c", "user.email=test@example.com"}, args...)...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

// WriteFile writes content to path, creating directories.
func WriteFile(t testing.TB, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// NewRepo creates the repository described in the package documentation
// in a temporary directory and returns its path. The old revision does
// oldWork multiply-adds per iteration, the new one newWork.
func NewRepo(t testing.TB, oldWork, newWork int) string {
	t.Helper()
	dir := t.TempDir()
	Git(t, dir, "init", "-q")
	WriteFile(t, filepath.Join(dir, "go.mod"), "module example.com/tiny\n\ngo 1.26\n")
	Git(t, dir, "add", ".")
	Git(t, dir, "commit", "-q", "-m", "empty")
	WriteFile(t, filepath.Join(dir, "bench", "bench_test.go"), Source("old", oldWork))
	Git(t, dir, "add", ".")
	Git(t, dir, "commit", "-q", "-m", "base")
	WriteFile(t, filepath.Join(dir, "bench", "bench_test.go"), Source("new", newWork))
	return dir
}
