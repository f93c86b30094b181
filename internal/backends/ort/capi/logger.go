package capi

import "C"

import (
	"fmt"
	"strings"
	"sync"
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
