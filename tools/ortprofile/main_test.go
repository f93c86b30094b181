package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestGolden compares the summary of testdata/two-runs.json with
// testdata/two-runs.golden, and checks the usage and error exits.
func TestGolden(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"testdata/two-runs.json"}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	golden := filepath.Join("testdata", "two-runs.golden")
	if *update {
		if err := os.WriteFile(golden, stdout.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(stdout.Bytes(), want) {
		t.Errorf("got\n%s\nwant\n%s", stdout.String(), want)
	}
	for _, tt := range []struct {
		args []string
		code int
	}{{nil, 2}, {[]string{"testdata/missing.json"}, 1}, {[]string{"-x"}, 2}} {
		stdout.Reset()
		stderr.Reset()
		if code := run(tt.args, &stdout, &stderr); code != tt.code || stderr.Len() == 0 {
			t.Errorf("run(%v) = %d, stderr %q; want %d and a message", tt.args, code, stderr.String(), tt.code)
		}
	}
}
