//go:build linux && cgo

package harness

/*
#include <malloc.h>
*/
import "C"

// mallocTrim returns memory that C code (ONNX Runtime) freed to the OS, so a
// closed session's arenas do not inflate the next scenario's peak RSS.
func mallocTrim() { C.malloc_trim(0) }
