package workflowlint

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/rhysd/actionlint"
)

// Lint lints every workflow file (*.yml, *.yaml) in repo/.github/workflows
// with repo/.github/actionlint.yaml, if present, as configuration, and
// returns the problems found, writing them to w.
func Lint(w io.Writer, repo string) ([]*actionlint.Error, error) {
	opts := &actionlint.LinterOptions{
		Shellcheck: "", // off: not installed
		Pyflakes:   "", // off: not installed
		WorkingDir: repo,
	}
	if cfg := filepath.Join(repo, ".github", "actionlint.yaml"); fileExists(cfg) {
		opts.ConfigFile = cfg
	}
	l, err := actionlint.NewLinter(w, opts)
	if err != nil {
		return nil, fmt.Errorf("workflowlint: %w", err)
	}
	var files []string
	for _, pat := range []string{"*.yml", "*.yaml"} {
		m, err := filepath.Glob(filepath.Join(repo, ".github", "workflows", pat))
		if err != nil {
			return nil, err
		}
		files = append(files, m...)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("workflowlint: no workflows in %s: %w", filepath.Join(repo, ".github", "workflows"), os.ErrNotExist)
	}
	errs, err := l.LintFiles(files, nil)
	if err != nil {
		return nil, fmt.Errorf("workflowlint: %w", err)
	}
	return errs, nil
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
