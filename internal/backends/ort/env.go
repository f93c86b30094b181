package ort

import (
	"errors"
	"fmt"
	"sync"

	ortgo "github.com/yalue/onnxruntime_go"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/internal/backends/ort/capi"
	"github.com/inferbench/inferbench/internal/backends/ort/ortlib"
)

var (
	initOnce sync.Once
	initErr  error
	libPath  string
)

// Init loads the ONNX Runtime shared library found by ortlib.Resolve and
// creates the process-wide ORT environment, once. Every call returns the
// first call's result. A missing or unloadable library is reported as an
// error wrapping backends.ErrUnavailable (backend "ort"), whose reason says
// where Init looked and how to install it. $ONNXRUNTIME_SHARED_LIBRARY_PATH
// naming no file is a plain error (ortlib.ErrBadLibraryPath): the user asked
// for a library that is not there, which must not pass as a skip.
func Init() error {
	initOnce.Do(func() {
		path, err := ortlib.Resolve()
		if errors.Is(err, ortlib.ErrBadLibraryPath) { // a mistake to report, not a reason to skip
			initErr = fmt.Errorf("ort: %w", err)
			return
		}
		if err != nil {
			initErr = backends.Unavailable("ort", "%v", err)
			return
		}
		// ORT's messages go through Log; where the logger cannot be
		// installed, ORT prints them itself, as before.
		_ = capi.InstallLogger(path, capi.Warning, func(m capi.Message) { Log(m) })
		ortgo.SetSharedLibraryPath(path)
		if err := ortgo.InitializeEnvironment(ortgo.WithLogLevelWarning()); err != nil {
			initErr = backends.Unavailable("ort", "loading ONNX Runtime from %s: %v", path, err)
			return
		}
		libPath = path
	})
	return initErr
}

// unavailableAs re-labels an unavailable error from Init with the name of
// the backend that needed the library; other errors get the name as a
// prefix.
func unavailableAs(backend string, err error) error {
	if r := backends.Reason(err); r != "" {
		return backends.Unavailable(backend, "%s", r)
	}
	return fmt.Errorf("%s: %w", backend, err)
}

// Version is the loaded ONNX Runtime's version string ("" before a
// successful Init).
func Version() string {
	if Init() != nil {
		return ""
	}
	return ortgo.GetVersion()
}

// LibraryPath is the shared library Init loaded ("" before a successful
// Init).
func LibraryPath() string {
	if Init() != nil {
		return ""
	}
	return libPath
}
