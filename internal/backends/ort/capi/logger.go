package capi

/*
#include <stdlib.h>
int ib_install_logger(const char *path, int level);
void ib_set_quiet(int on);
*/
import "C"

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"unsafe"
)

// Severity is an ORT log message's OrtLoggingLevel.
type Severity int

// ORT's logging levels.
const (
	Verbose Severity = iota
	Info
	Warning
	Error
	Fatal
)

func (s Severity) String() string {
	if s >= Verbose && s <= Fatal {
		return [...]string{"verbose", "info", "warning", "error", "fatal"}[s]
	}
	return fmt.Sprintf("severity %d", int(s))
}

// Message is one ORT log message.
type Message struct {
	Severity Severity
	Category string
	Text     string
}

func (m Message) String() string { return m.Severity.String() + ": " + m.Text }

var (
	quietMu  sync.Mutex // one Quiet at a time: captured is shared
	logMu    sync.Mutex
	logSink  func(Message)
	captured []Message
)

//export inferbenchORTLog
func inferbenchORTLog(severity, quiet C.int, category, message *C.char) {
	m := Message{Severity(severity), C.GoString(category), strings.TrimSpace(C.GoString(message))}
	logMu.Lock()
	defer logMu.Unlock()
	switch {
	case quiet != 0:
		captured = append(captured, m)
	case logSink != nil:
		logSink(m)
	}
}

// InstallLogger loads the ONNX Runtime library at path and creates the
// process' ORT environment with a logger that hands every message of
// severity min or above to sink, instead of ORT printing it. It must run
// before onnxruntime_go creates its environment (ort.Init): ORT keeps one
// environment per process, so onnxruntime_go's gets this one.
func InstallLogger(path string, min Severity, sink func(Message)) error {
	logMu.Lock()
	logSink = sink
	logMu.Unlock()
	cs := C.CString(path)
	defer C.free(unsafe.Pointer(cs))
	if rc := C.ib_install_logger(cs, C.int(min)); rc != 0 {
		return fmt.Errorf("capi: installing ONNX Runtime's logger from %s failed (step %d)", path, int(rc))
	}
	return nil
}

// Quiet runs f, an ORT call that may be refused as part of a probe, with
// its ORT messages kept from the logger and returned instead, so the
// caller reports the refusal once as its own reason. ORT logs on the
// calling thread, to which f is locked.
func Quiet(f func() error) ([]Message, error) {
	quietMu.Lock()
	defer quietMu.Unlock()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	logMu.Lock()
	captured = nil
	logMu.Unlock()
	C.ib_set_quiet(1)
	err := f()
	C.ib_set_quiet(0)
	logMu.Lock()
	defer logMu.Unlock()
	msgs := captured
	captured = nil
	return msgs, err
}
