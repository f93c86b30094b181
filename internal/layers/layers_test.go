package layers

import (
	"bufio"
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// goTool finds the go command that runs this test.
func goTool(t *testing.T) string {
	t.Helper()
	if p := filepath.Join(runtime.GOROOT(), "bin", "go"); runtime.GOROOT() != "" {
		if _, err := exec.LookPath(p); err == nil {
			return p
		}
	}
	p, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command to list the module's imports: %v", err)
	}
	return p
}

// list returns every package of the module with its production and test
// imports under the build tags.
func list(t *testing.T, tags string) []Package {
	t.Helper()
	args := []string{"list", "-e", "-f", "{{.ImportPath}}|{{join .Imports \",\"}}|{{join .TestImports \",\"}}|{{join .XTestImports \",\"}}"}
	if tags != "" {
		args = append(args, "-tags", tags)
	}
	cmd := exec.Command(goTool(t), append(args, Module+"/...")...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -tags %q: %v\n%s", tags, err, stderr.String())
	}
	var pkgs []Package
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Split(sc.Text(), "|")
		if len(f) != 4 {
			t.Fatalf("go list line %q", sc.Text())
		}
		split := func(s string) []string {
			if s == "" {
				return nil
			}
			return strings.Split(s, ",")
		}
		pkgs = append(pkgs, Package{ImportPath: f[0], Imports: split(f[1]), TestImports: split(f[2]), XTestImports: split(f[3])})
	}
	return pkgs
}

// statSources stats every directory and .go file of the module, so that
// go test's cache, which cannot see what the go list child reads, treats
// the result as stale whenever a source file changes.
func statSources(t *testing.T) {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root: %v", err)
	}
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || strings.HasSuffix(path, ".go") {
			_, err = os.Stat(path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestLayers fails on any forbidden arrow in the module, production or
// test, under every checked tag set.
func TestLayers(t *testing.T) {
	statSources(t)
	for _, tags := range Tags {
		t.Run("tags="+tags, func(t *testing.T) {
			pkgs := list(t, tags)
			if len(pkgs) < 20 {
				t.Fatalf("go list found %d packages; is the test running inside the module?", len(pkgs))
			}
			for _, v := range Check(pkgs) {
				t.Error(v)
			}
		})
	}
}

// TestCheckFindsArrows proves the check can fail: an import of a higher
// layer, an Apart arrow and a package in no layer are reported, imports of
// the same or a lower layer are not.
func TestCheckFindsArrows(t *testing.T) {
	m := func(p string) string { return Module + "/" + p }
	pkgs := []Package{
		{ImportPath: m("internal/lm/zoo"), Imports: []string{m("backends/model"), m("fixtures/gpt2tiny"), "fmt"}, XTestImports: []string{m("internal/backends/ort/orttest")}},
		{ImportPath: m("internal/backends/backendtest"), Imports: []string{m("internal/benchmarks/harness"), m("internal/lm/workload")}},
		{ImportPath: m("benchmarks"), TestImports: []string{m("accuracy"), m("internal/backends/all"), Module}},
		{ImportPath: m("accuracy"), Imports: []string{m("internal/benchmarks/harness")}, TestImports: []string{Module}},
		{ImportPath: m("tools/benchgate"), Imports: []string{m("internal/benchmarks/harness"), m("tools/internal/gate")}},
		{ImportPath: m("internal/quantile"), Imports: []string{m("backends/model")}},
		{ImportPath: m("backends/model"), Imports: []string{m("internal/vocab")}},
		{ImportPath: Module, Imports: []string{m("accuracy"), m("internal/backends/suite")}},
		{ImportPath: m("fixturesx"), Imports: []string{m("backends")}}, // not under fixtures/
	}
	var got []string
	for _, v := range Check(pkgs) {
		got = append(got, v.String())
	}
	want := []string{
		"accuracy: test import of " + Module + " (benchmarks and accuracy ↛ root package, test suites and tools)",
		"benchmarks: test import of accuracy (benchmarks ↛ accuracy, internal/accuracy)",
		"fixturesx: no layer (add its directory to layers.Layers)",
		"internal/backends/backendtest: import of internal/benchmarks/harness (backends ↛ benchmarks and accuracy)",
		"internal/lm/zoo: external test import of internal/backends/ort/orttest (fixtures ↛ backends)",
		"internal/quantile: import of backends/model (internal utilities ↛ fixtures)",
		"tools/benchgate: import of internal/benchmarks/harness (tools ↛ benchmarks, internal/benchmarks)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("violations:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// Public is the one package of this module another module's tests need.
const Public = Module

// TestExampleUsesPublicAPIOnly: examples/custommodel, a module of its own,
// imports nothing of this module but the public package.
func TestExampleUsesPublicAPIOnly(t *testing.T) {
	dir, err := filepath.Abs(filepath.Join("..", "..", "examples", "custommodel"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(goTool(t), "list", "-e", "-f", "{{.ImportPath}}|{{join .Imports \",\"}},{{join .TestImports \",\"}},{{join .XTestImports \",\"}}", "./...")
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list in %s: %v\n%s", dir, err, stderr.String())
	}
	var public bool
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, imports, _ := strings.Cut(line, "|")
		for _, imp := range strings.Split(imports, ",") {
			switch {
			case imp == Public:
				public = true
			case imp == Module || strings.HasPrefix(imp, Module+"/"):
				t.Errorf("%s imports %s; another module's tests should need only %s", pkg, imp, Public)
			}
		}
	}
	if !public {
		t.Errorf("examples/custommodel does not import %s:\n%s", Public, out)
	}
}
