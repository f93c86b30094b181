package gpulib

/*
#cgo LDFLAGS: -ldl
#include <dlfcn.h>
#include <stdlib.h>

static void *ib_dlopen_global(const char *path) { return dlopen(path, RTLD_NOW | RTLD_GLOBAL); }
static const char *ib_dlerror(void) { return dlerror(); }
*/
import "C"

import (
	"errors"
	"fmt"
	"path/filepath"
	"unsafe"
)

// ErrLoad reports a library that was found but could not be loaded.
var ErrLoad = errors.New("cannot load library")

// Open loads the library at path (a full path, or a bare soname for the
// system linker to find) with RTLD_NOW|RTLD_GLOBAL, so that later dlopen
// calls and DT_NEEDED entries naming its soname resolve to it. Libraries
// are never unloaded.
func Open(path string) error {
	cs := C.CString(path)
	defer C.free(unsafe.Pointer(cs))
	if h := C.ib_dlopen_global(cs); h == nil {
		msg := "unknown error"
		if e := C.ib_dlerror(); e != nil {
			msg = C.GoString(e)
		}
		if path == Driver || filepath.Base(path) == path {
			return &MissingError{Soname: path, For: "the CUDA runtime", Dirs: []string{"<system linker>"}}
		}
		return fmt.Errorf("gpulib: %w %s: %s", ErrLoad, path, msg)
	}
	return nil
}

// Preload finds the libraries lib needs (its DT_NEEDED entries plus
// extra, see Needed) in dirs and opens each with Open, in order. It
// returns the paths it opened. A missing library is a *MissingError.
func Preload(lib string, dirs []string, extra ...string) ([]string, error) {
	needed, err := Needed(lib, extra...)
	if err != nil {
		return nil, err
	}
	// The provider's own ORT siblings are found by ORT itself.
	var want []string
	for _, so := range needed {
		if filepath.Dir(so) == "." && len(so) > 14 && so[:14] == "libonnxruntime" {
			continue
		}
		want = append(want, so)
	}
	paths, err := Find(want, dirs, lib)
	if err != nil {
		return nil, err
	}
	for _, p := range paths {
		if err := Open(p); err != nil {
			return nil, err
		}
	}
	return paths, nil
}
