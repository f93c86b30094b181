package ort

import (
	"bytes"
	"testing"

	"github.com/inferbench/inferbench/internal/backends/ort/capi"
)

// TestLogOncePerMessage: each distinct message is written once, as a line
// benchfmt ignores.
func TestLogOncePerMessage(t *testing.T) {
	var buf bytes.Buffer
	old := logOut
	logOut = &buf
	defer func() { logOut = old }()
	a := capi.Message{Severity: capi.Warning, Text: "test-log-once a"}
	b := capi.Message{Severity: capi.Error, Text: "test-log-once b"}
	Log(a, b, a)
	Log(b)
	if got, want := buf.String(), "# onnxruntime warning: test-log-once a\n# onnxruntime error: test-log-once b\n"; got != want {
		t.Errorf("logged %q, want %q", got, want)
	}
}
