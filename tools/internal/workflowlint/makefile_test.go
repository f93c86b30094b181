package workflowlint_test

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestMakeFuzzRunsEveryTarget: `make fuzz`, which CI and the README point
// to for the parsers' fuzzing, runs every Fuzz function in the repository,
// each in its own package.
func TestMakeFuzzRunsEveryTarget(t *testing.T) {
	repo, err := filepath.Abs(filepath.Join("..", "..", ".."))
	require.NoError(t, err)
	mk, err := os.ReadFile(filepath.Join(repo, "Makefile"))
	require.NoError(t, err)
	recipe := makeRecipe(string(mk), "fuzz")
	require.NotEmpty(t, recipe, "Makefile has no fuzz target")

	fuzzFunc := regexp.MustCompile(`^func (Fuzz\w+)\(`)
	found := 0
	err = filepath.WalkDir(repo, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") && path != repo {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			m := fuzzFunc.FindStringSubmatch(sc.Text())
			if m == nil {
				continue
			}
			found++
			rel, _ := filepath.Rel(repo, filepath.Dir(path))
			want := "-fuzz '^" + m[1] + "$$'"
			ok := false
			for _, line := range recipe {
				ok = ok || (strings.Contains(line, want) && strings.HasSuffix(strings.TrimSpace(line), "./"+filepath.ToSlash(rel)))
			}
			if !ok {
				t.Errorf("make fuzz does not run %s in ./%s", m[1], rel)
			}
		}
		return sc.Err()
	})
	require.NoError(t, err)
	require.NotZero(t, found, "no Fuzz functions found")
}

// makeRecipe returns the recipe lines of target in a Makefile.
func makeRecipe(mk, target string) []string {
	var out []string
	in := false
	for _, line := range strings.Split(mk, "\n") {
		switch {
		case strings.HasPrefix(line, target+":"):
			in = true
		case in && strings.HasPrefix(line, "\t"):
			out = append(out, line)
		case in && strings.TrimSpace(line) != "":
			return out
		}
	}
	return out
}
