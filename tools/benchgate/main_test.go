package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inferbench/inferbench/tools/internal/gate"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// Each case runs benchgate with args and compares its stdout with
// testdata/golden/<name>.<ext> and its exit status and stderr with
// testdata/golden/<name>.status.
func TestGolden(t *testing.T) {
	const (
		reg    = "testdata/regression.old.txt"
		regNew = "testdata/regression.new.txt"
		mixOld = "testdata/mixed.old.txt"
		mixNew = "testdata/mixed.new.txt"
		runOld = "testdata/runs.old.txt"
		runNew = "testdata/runs.new.txt"
	)
	tests := []struct {
		name string
		ext  string
		args []string
		exit int
	}{
		{"regression", "txt", []string{reg, regNew}, exitFail},
		{"regression", "md", []string{"-format", "markdown", reg, regNew}, exitFail},
		{"regression", "json", []string{"-format", "json", reg, regNew}, exitFail},
		{"regression-table", "txt", []string{"-table", "/backend", "-row", "/scenario", "-unit", `^(ns/op|tok/s)$`, reg, regNew}, exitFail},
		{"regression-under-threshold", "txt", []string{"-threshold", "15%", "-bench", "scenario=batch", "-unit", "^(ns/op|tok/s|p50-ms)$", reg, regNew}, exitPass},
		{"unchanged", "txt", []string{reg, reg}, exitInconclusive},
		{"unchanged-inconclusive-pass", "txt", []string{"-inconclusive=pass", reg, reg}, exitPass},
		{"runs", "txt", []string{runOld, runNew}, exitFail},
		{"runs", "md", []string{"-format", "markdown", runOld, runNew}, exitFail},
		{"runs", "json", []string{"-format", "json", runOld, runNew}, exitFail},
		{"runs-unchanged", "txt", []string{"-unit", "^(sec/op|B/op)$", runOld, runOld}, exitPass},
		{"rss-one-process", "txt", []string{"testdata/rss.old.txt", "testdata/rss.new.txt"}, exitInconclusive},
		{"negative", "txt", []string{reg, "testdata/negative.txt"}, exitUnusable},
		{"machine-differs", "txt", []string{reg, "testdata/othercpu.new.txt"}, exitUnusable},
		{"machine-differs-allowed", "txt", []string{"-allow-env-diff", "-unit", "^sec/op$", reg, "testdata/othercpu.new.txt"}, exitFail},
		{"bad-inconclusive", "txt", []string{"-inconclusive", "maybe", reg, regNew}, exitUnusable},
		{"mixed", "txt", []string{"-allow-missing", mixOld, mixNew}, exitInconclusive},
		{"mixed", "md", []string{"-allow-missing", "-format", "markdown", mixOld, mixNew}, exitInconclusive},
		{"mixed", "json", []string{"-allow-missing", "-format", "json", mixOld, mixNew}, exitInconclusive},
		{"malformed", "txt", []string{reg, "testdata/malformed.txt"}, exitUnusable},
		{"nothing-in-common", "txt", []string{reg, "testdata/other.txt"}, exitUnusable},
		{"nothing-selected", "txt", []string{"-bench", "NoSuchBenchmark", reg, regNew}, exitUnusable},
		{"missing-file", "txt", []string{reg, "testdata/no-such-file.txt"}, exitUnusable},
		{"bad-format", "txt", []string{"-format", "yaml", reg, regNew}, exitUnusable},
		{"bad-regexp", "txt", []string{"-unit", "(", reg, regNew}, exitUnusable},
		{"one-file", "txt", []string{reg}, exitUnusable},
		{"three-files", "txt", []string{reg, regNew, reg}, exitUnusable},
		{"matrix", "md", []string{"-table", "runner", "-row", "/scenario", "-format", "markdown",
			"testdata/cpu.old.txt", "testdata/cpu.new.txt", "testdata/gpu-nvidia.old.txt", "testdata/gpu-nvidia.new.txt"}, exitFail},
	}
	for _, tt := range tests {
		t.Run(tt.name+"."+tt.ext, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(tt.args, &stdout, &stderr)
			status := fmt.Sprintf("exit status %d\n%s", code, stderr.String())
			golden := filepath.Join("testdata", "golden", tt.name)
			if tt.ext != "txt" {
				golden += "-" + tt.ext
			}
			if *update {
				require.NoError(t, os.MkdirAll(filepath.Dir(golden), 0o755))
				require.NoError(t, os.WriteFile(golden+"."+tt.ext, stdout.Bytes(), 0o644))
				require.NoError(t, os.WriteFile(golden+".status", []byte(status), 0o644))
			}
			assert.Equal(t, tt.exit, code, "stderr: %s", stderr.String())
			wantOut, err := os.ReadFile(golden + "." + tt.ext)
			require.NoError(t, err, "run with -update to create")
			wantStatus, err := os.ReadFile(golden + ".status")
			require.NoError(t, err, "run with -update to create")
			assert.Equal(t, string(wantOut), stdout.String())
			assert.Equal(t, string(wantStatus), status)
		})
	}
}

func TestMalformedNamesFileAndLine(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run([]string{"testdata/regression.old.txt", "testdata/malformed.txt"}, &stdout, &stderr)
	assert.Equal(t, exitUnusable, code)
	assert.Empty(t, stdout.String())
	for _, want := range []string{
		"testdata/malformed.txt:3: missing measurements",
		"testdata/malformed.txt:4: parsing iteration count",
		"testdata/malformed.txt:5: expected key=value",
		"testdata/malformed.txt:6: BenchmarkA-2: non-finite value NaN ns/op",
	} {
		assert.Contains(t, stderr.String(), want)
	}
	assert.Equal(t, 4, strings.Count(stderr.String(), "testdata/malformed.txt:"))
}

// The exit contract is one table, printed by -h and written in README.md.
func TestExitTableInREADMEAndHelp(t *testing.T) {
	var stdout, stderr bytes.Buffer
	assert.Equal(t, exitPass, run([]string{"-h"}, &stdout, &stderr))
	assert.Contains(t, stderr.String(), gate.ExitTable)
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	require.NoError(t, err)
	assert.Contains(t, string(readme), gate.ExitTable, "README.md must hold gate.ExitTable verbatim")
}

// "benchgate history" dispatches to the history command.
func TestHistorySubcommand(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"history", t.TempDir()}, &out, &errb); code != 2 || !strings.Contains(errb.String(), "no *.txt benchmark files") {
		t.Errorf("history of an empty directory: exit %d, stderr %q; want 2 and the reason", code, errb.String())
	}
}
