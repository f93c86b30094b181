package capi

import (
	"fmt"
	"reflect"
	"runtime/debug"
	"strings"
	"sync"

	ortgo "github.com/yalue/onnxruntime_go"
)

// OrtGoModule and OrtGoVersion are the onnxruntime_go release whose
// unexported struct layout SessionOf and BindingOf read.
const (
	OrtGoModule  = "github.com/yalue/onnxruntime_go"
	OrtGoVersion = "v1.35.0"
)

// field is one pointer the casts read: the first field of a struct of
// onnxruntime_go, at offset 0, a pointer to a type whose name holds elem.
type field struct {
	typ        reflect.Type
	name, elem string
}

// casts are the fields SessionOf and BindingOf read through unsafe.
var casts = []field{
	{reflect.TypeFor[ortgo.DynamicAdvancedSession](), "s", "AdvancedSession"},
	{reflect.TypeFor[ortgo.AdvancedSession](), "ortSession", "OrtSession"},
	{reflect.TypeFor[ortgo.IoBinding](), "o", "OrtIoBinding"},
}

// checkFields returns an error naming the first field whose layout is not
// the one the casts assume.
func checkFields(fields []field) error {
	for _, f := range fields {
		t := f.typ
		if t.Kind() != reflect.Struct || t.NumField() == 0 {
			return fmt.Errorf("capi: %s is not a struct with fields; %s %s's layout changed", t, OrtGoModule, OrtGoVersion)
		}
		sf := t.Field(0)
		if sf.Name != f.name || sf.Offset != 0 || sf.Type.Kind() != reflect.Pointer || !strings.Contains(sf.Type.Elem().Name(), f.elem) {
			return fmt.Errorf("capi: %s's first field is %s %s at offset %d, want %s, a pointer to %s: onnxruntime_go's layout is not %s's",
				t, sf.Name, sf.Type, sf.Offset, f.name, f.elem, OrtGoVersion)
		}
	}
	return nil
}

// checkVersion returns an error when the binary's build information names
// another onnxruntime_go version than OrtGoVersion (nothing when it names
// none, as test binaries of some builds do: checkFields still runs).
func checkVersion(bi *debug.BuildInfo, ok bool) error {
	if !ok {
		return nil
	}
	for _, d := range bi.Deps {
		if d.Path != OrtGoModule {
			continue
		}
		if d.Replace != nil {
			d = d.Replace
		}
		if d.Version != OrtGoVersion && d.Version != "(devel)" && d.Version != "" {
			return fmt.Errorf("capi: built with %s %s; its struct layout is known for %s only", OrtGoModule, d.Version, OrtGoVersion)
		}
	}
	return nil
}

// CheckLayout reports whether onnxruntime_go's structs are laid out as the
// casts of SessionOf and BindingOf assume; Load returns its error, so a
// build against another onnxruntime_go fails with it instead of reading
// memory it does not understand.
var CheckLayout = sync.OnceValue(func() error {
	if err := checkVersion(debug.ReadBuildInfo()); err != nil {
		return err
	}
	return checkFields(casts)
})
