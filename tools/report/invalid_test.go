package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A result whose timed outputs are wrong is listed under INVALID, with
// why, and appears in no table and no ranking; the report exits 1.
func TestInvalidResultsAreListedNotRanked(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	code := run([]string{"-o", dir, "../internal/validity/testdata/stale.txt"}, &out, &errb)
	if code != 1 {
		t.Errorf("exit %d, want 1\n%s%s", code, out.String(), errb.String())
	}
	md, err := os.ReadFile(filepath.Join(dir, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	head, body, ok := strings.Cut(string(md), "## Model")
	if !ok {
		t.Fatalf("no identity section in\n%s", md)
	}
	for _, text := range []string{out.String(), head} {
		if !strings.Contains(text, "INVALID") || !strings.Contains(text, "BenchmarkPrefill/backend=fake-stale/scenario=single_micro") {
			t.Errorf("the invalid result is not listed under INVALID:\n%s", text)
		}
	}
	if strings.Contains(body, "fake-stale") {
		t.Errorf("the invalid result appears in the report's tables:\n%s", body)
	}
	if !strings.Contains(body, "fake-honest") {
		t.Errorf("the honest result is missing from the report:\n%s", body)
	}
}
