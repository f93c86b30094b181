package capi

import (
	"reflect"
	"runtime/debug"
	"strings"
	"testing"
)

// TestLayout: the onnxruntime_go this module builds with has the layout
// the casts read.
func TestLayout(t *testing.T) {
	if err := CheckLayout(); err != nil {
		t.Fatal(err)
	}
}

// OrtSession and friends stand in for the C types in the fakes below.
type (
	OrtSession      struct{ _ int }
	AdvancedSession struct{ ortSession *OrtSession }
	movedSession    struct {
		names      []*byte
		ortSession *OrtSession
	}
	renamedSession struct{ session *OrtSession }
	valueSession   struct{ ortSession uintptr }
)

// TestLayoutCheckCatchesChanges: a field moved, renamed or no longer a
// pointer, and another module version, are errors.
func TestLayoutCheckCatchesChanges(t *testing.T) {
	ok := field{reflect.TypeFor[AdvancedSession](), "ortSession", "OrtSession"}
	if err := checkFields([]field{ok}); err != nil {
		t.Errorf("the assumed layout: %v", err)
	}
	for _, f := range []field{
		{reflect.TypeFor[movedSession](), "ortSession", "OrtSession"},
		{reflect.TypeFor[renamedSession](), "ortSession", "OrtSession"},
		{reflect.TypeFor[valueSession](), "ortSession", "OrtSession"},
		{reflect.TypeFor[AdvancedSession](), "ortSession", "OrtIoBinding"},
		{reflect.TypeFor[int](), "ortSession", "OrtSession"},
	} {
		if err := checkFields([]field{f}); err == nil {
			t.Errorf("%s accepted", f.typ)
		}
	}
	bi := &debug.BuildInfo{Deps: []*debug.Module{{Path: OrtGoModule, Version: "v1.36.0"}}}
	if err := checkVersion(bi, true); err == nil || !strings.Contains(err.Error(), "v1.36.0") {
		t.Errorf("onnxruntime_go v1.36.0: %v", err)
	}
	bi.Deps[0].Version = OrtGoVersion
	if err := checkVersion(bi, true); err != nil {
		t.Errorf("onnxruntime_go %s: %v", OrtGoVersion, err)
	}
	bi.Deps[0].Replace = &debug.Module{Path: "example.com/fork", Version: "v0.1.0"}
	if err := checkVersion(bi, true); err == nil {
		t.Error("a replaced onnxruntime_go accepted")
	}
}
