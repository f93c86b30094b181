package capi

/*
#cgo LDFLAGS: -ldl
#include <dlfcn.h>
#include <stdlib.h>
#include "onnxruntime_c_api.h"

static const OrtApi *ib_api = NULL;

static int ib_load(const char *path) {
	void *h = dlopen(path, RTLD_NOW | RTLD_NOLOAD);
	if (!h) return 1;
	typedef const OrtApiBase *(*get_base_fn)(void);
	get_base_fn get_base = (get_base_fn)dlsym(h, "OrtGetApiBase");
	if (!get_base) return 2;
	ib_api = get_base()->GetApi(ORT_API_VERSION);
	return ib_api ? 0 : 3;
}

static const char *ib_error(OrtStatus *s) { return ib_api->GetErrorMessage(s); }
static void ib_release_status(OrtStatus *s) { ib_api->ReleaseStatus(s); }

static OrtStatus *ib_io_counts(OrtSession *s, size_t *in, size_t *out) {
	OrtStatus *st = ib_api->SessionGetInputCount(s, in);
	if (st) return st;
	return ib_api->SessionGetOutputCount(s, out);
}

static OrtStatus *ib_cuda_meminfo(int device, OrtMemoryInfo **out) {
	return ib_api->CreateMemoryInfo("Cuda", OrtDeviceAllocator, device, OrtMemTypeDefault, out);
}
static OrtStatus *ib_cpu_meminfo(OrtMemoryInfo **out) {
	return ib_api->CreateCpuMemoryInfo(OrtDeviceAllocator, OrtMemTypeDefault, out);
}
static void ib_release_meminfo(OrtMemoryInfo *m) { ib_api->ReleaseMemoryInfo(m); }

static OrtStatus *ib_tensor(const OrtMemoryInfo *m, void *p, size_t bytes, const int64_t *shape, size_t rank,
		ONNXTensorElementDataType t, OrtValue **out) {
	return ib_api->CreateTensorWithDataAsOrtValue(m, p, bytes, shape, rank, t, out);
}
static void ib_release_value(OrtValue *v) { ib_api->ReleaseValue(v); }

static OrtStatus *ib_bind_input(OrtIoBinding *b, const char *name, const OrtValue *v) { return ib_api->BindInput(b, name, v); }
static OrtStatus *ib_bind_output(OrtIoBinding *b, const char *name, const OrtValue *v) { return ib_api->BindOutput(b, name, v); }

static OrtStatus *ib_run_options(OrtRunOptions **out) { return ib_api->CreateRunOptions(out); }
static OrtStatus *ib_run_entry(OrtRunOptions *o, const char *k, const char *v) { return ib_api->AddRunConfigEntry(o, k, v); }
static void ib_release_run_options(OrtRunOptions *o) { ib_api->ReleaseRunOptions(o); }

static OrtStatus *ib_run(OrtSession *s, const OrtRunOptions *o, const OrtIoBinding *b) { return ib_api->RunWithBinding(s, o, b); }
*/
import "C"

import (
	"errors"
	"fmt"
	"sync"
	"unsafe"

	ortgo "github.com/yalue/onnxruntime_go"
)

var (
	loadOnce sync.Once
	loadErr  error
)

// ErrNotLoaded reports that the ORT library was not loaded into the
// process (call ort.Init first) or has no usable API.
var ErrNotLoaded = errors.New("capi: ONNX Runtime library not loaded")

// Load finds the OrtApi of the ONNX Runtime library at path, which must
// already be loaded (ort.Init). Every call returns the first one's result.
func Load(path string) error {
	loadOnce.Do(func() {
		cs := C.CString(path)
		defer C.free(unsafe.Pointer(cs))
		switch C.ib_load(cs) {
		case 0:
		case 1:
			loadErr = fmt.Errorf("%w: %s is not loaded", ErrNotLoaded, path)
		case 2:
			loadErr = fmt.Errorf("%w: %s has no OrtGetApiBase", ErrNotLoaded, path)
		default:
			loadErr = fmt.Errorf("%w: %s does not serve ORT API version %d", ErrNotLoaded, path, C.ORT_API_VERSION)
		}
	})
	return loadErr
}

func check(what string, st *C.OrtStatus) error {
	if st == nil {
		return nil
	}
	msg := C.GoString(C.ib_error(st))
	C.ib_release_status(st)
	return fmt.Errorf("capi: %s: %s", what, msg)
}

// Session is a raw OrtSession pointer.
type Session struct{ p *C.OrtSession }

// Binding is a raw OrtIoBinding pointer.
type Binding struct{ p *C.OrtIoBinding }

// layouts of onnxruntime_go v1.35.0's unexported structs.
type (
	advancedSession struct{ ortSession unsafe.Pointer }
	dynamicSession  struct{ s *advancedSession }
	ioBinding       struct{ o unsafe.Pointer }
)

// SessionOf returns s's OrtSession. Check it with CheckSession.
func SessionOf(s *ortgo.DynamicAdvancedSession) Session {
	d := (*dynamicSession)(unsafe.Pointer(s))
	return Session{(*C.OrtSession)(d.s.ortSession)}
}

// BindingOf returns b's OrtIoBinding.
func BindingOf(b *ortgo.IoBinding) Binding {
	return Binding{(*C.OrtIoBinding)((*ioBinding)(unsafe.Pointer(b)).o)}
}

// CheckSession asks ORT for s's input and output counts and compares them
// with the expected ones: it proves that SessionOf read a live session.
func CheckSession(s Session, inputs, outputs int) error {
	var in, out C.size_t
	if err := check("session input and output counts", C.ib_io_counts(s.p, &in, &out)); err != nil {
		return err
	}
	if int(in) != inputs || int(out) != outputs {
		return fmt.Errorf("capi: session has %d inputs and %d outputs, want %d and %d: onnxruntime_go's layout changed", in, out, inputs, outputs)
	}
	return nil
}

// MemInfo is an OrtMemoryInfo.
type MemInfo struct{ p *C.OrtMemoryInfo }

// CUDAMemInfo describes memory on CUDA device (ORT's "Cuda" allocator).
func CUDAMemInfo(device int) (*MemInfo, error) {
	m := &MemInfo{}
	if err := check("CUDA memory info", C.ib_cuda_meminfo(C.int(device), &m.p)); err != nil {
		return nil, err
	}
	return m, nil
}

// CPUMemInfo describes host memory.
func CPUMemInfo() (*MemInfo, error) {
	m := &MemInfo{}
	if err := check("CPU memory info", C.ib_cpu_meminfo(&m.p)); err != nil {
		return nil, err
	}
	return m, nil
}

// HostAlloc returns n bytes of C heap memory (never nil; free it with
// HostFree): host buffers an OrtValue may keep pointing to, which Go
// memory must not be.
func HostAlloc(n uintptr) unsafe.Pointer { return C.calloc(1, C.size_t(max(n, 1))) }

// HostFree frees memory from HostAlloc.
func HostFree(p unsafe.Pointer) { C.free(p) }

// Destroy releases m.
func (m *MemInfo) Destroy() {
	if m != nil && m.p != nil {
		C.ib_release_meminfo(m.p)
		m.p = nil
	}
}

// ElementType is an ONNX tensor element type.
type ElementType int

// The element types the backends bind.
const (
	Float32 ElementType = C.ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT
	Int64   ElementType = C.ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64
)

// Value is an OrtValue that does not own its memory.
type Value struct{ p *C.OrtValue }

// NewTensor creates a tensor of type t and shape over bytes of memory at
// ptr, which m describes (device memory for a CUDA MemInfo). The memory
// must outlive the value.
func NewTensor(m *MemInfo, ptr unsafe.Pointer, bytes uintptr, shape []int64, t ElementType) (*Value, error) {
	v := &Value{}
	st := C.ib_tensor(m.p, ptr, C.size_t(bytes), (*C.int64_t)(unsafe.Pointer(&shape[0])), C.size_t(len(shape)),
		C.ONNXTensorElementDataType(t), &v.p)
	if err := check(fmt.Sprintf("tensor %v", shape), st); err != nil {
		return nil, err
	}
	return v, nil
}

// Destroy releases v (not the memory it points to).
func (v *Value) Destroy() {
	if v != nil && v.p != nil {
		C.ib_release_value(v.p)
		v.p = nil
	}
}

// BindInput binds v as input name.
func BindInput(b Binding, name string, v *Value) error {
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs))
	return check("binding input "+name, C.ib_bind_input(b.p, cs, v.p))
}

// BindOutput binds v as output name: ORT writes the output into v's memory.
func BindOutput(b Binding, name string, v *Value) error {
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs))
	return check("binding output "+name, C.ib_bind_output(b.p, cs, v.p))
}

// RunOptions is an OrtRunOptions.
type RunOptions struct{ p *C.OrtRunOptions }

// NewRunOptions creates run options with the given config entries (such
// as {"gpu_graph_id", "1"}).
func NewRunOptions(entries [][2]string) (*RunOptions, error) {
	o := &RunOptions{}
	if err := check("run options", C.ib_run_options(&o.p)); err != nil {
		return nil, err
	}
	for _, e := range entries {
		k, v := C.CString(e[0]), C.CString(e[1])
		err := check("run option "+e[0]+"="+e[1], C.ib_run_entry(o.p, k, v))
		C.free(unsafe.Pointer(k))
		C.free(unsafe.Pointer(v))
		if err != nil {
			o.Destroy()
			return nil, err
		}
	}
	return o, nil
}

// Destroy releases o.
func (o *RunOptions) Destroy() {
	if o != nil && o.p != nil {
		C.ib_release_run_options(o.p)
		o.p = nil
	}
}

// Run runs s with binding b and options o (nil: none). It does not
// allocate Go memory.
func Run(s Session, o *RunOptions, b Binding) error {
	var op *C.OrtRunOptions
	if o != nil {
		op = o.p
	}
	if st := C.ib_run(s.p, op, b.p); st != nil {
		return check("run", st)
	}
	return nil
}
