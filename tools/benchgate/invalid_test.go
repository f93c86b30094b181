package main

import (
	"bytes"
	"strings"
	"testing"
)

// stale is a real benchmark run over a backend whose outputs go stale
// after its third call and an honest one (see its stale.sh).
const stale = "../internal/validity/testdata/stale.txt"

// Asked to compare a result whose timed outputs are wrong, benchgate exits
// 2 naming it, old side or new; the honest results of the same file are
// compared.
func TestRefusesInvalidResults(t *testing.T) {
	clean := "testdata/runs.old.txt"
	for _, args := range [][]string{{stale, stale}, {clean, stale}, {stale, clean}, {"-bench", "Prefill", stale, stale}} {
		var out, errb bytes.Buffer
		if code := run(args, &out, &errb); code != exitUnusable {
			t.Errorf("benchgate %v: exit %d, want %d\n%s%s", args, code, exitUnusable, out.String(), errb.String())
		}
		msg := errb.String()
		if !strings.Contains(msg, "BenchmarkPrefill/backend=fake-stale/scenario=single_micro") || !strings.Contains(msg, "timed outputs are wrong") {
			t.Errorf("benchgate %v: stderr does not name the invalid result:\n%s", args, msg)
		}
		if strings.Contains(msg, "fake-honest") {
			t.Errorf("benchgate %v: stderr names an honest result:\n%s", args, msg)
		}
	}
	var out, errb bytes.Buffer
	code := run([]string{"-bench", "fake-honest", stale, stale}, &out, &errb)
	if code == exitUnusable || strings.Contains(errb.String(), "wrong") {
		t.Errorf("benchgate over the honest results only: exit %d\n%s%s", code, out.String(), errb.String())
	}
}
