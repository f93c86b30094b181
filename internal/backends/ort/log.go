package ort

import (
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/inferbench/inferbench/internal/backends/ort/capi"
)

var (
	logOut  io.Writer = os.Stderr
	logSeen sync.Map  // severity and text of every message written
)

// Log is ONNX Runtime's logger (Init installs it, at warning severity):
// each distinct message once per process, on stderr, as a "# onnxruntime
// <severity>: <text>" line that benchfmt and benchstat ignore. Probes that
// expect ORT to refuse a configuration keep its messages from here
// (capi.Quiet) and report the refusal as their own reason.
func Log(msgs ...capi.Message) {
	for _, m := range msgs {
		if _, dup := logSeen.LoadOrStore(m.String(), true); !dup {
			fmt.Fprintf(logOut, "# onnxruntime %s\n", m)
		}
	}
}
