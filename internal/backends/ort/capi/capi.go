package capi

/*
#cgo CFLAGS: -I${SRCDIR}/../../../third_party/onnxruntime/include
#cgo LDFLAGS: -ldl
#include <dlfcn.h>
#include <stdlib.h>
#include "onnxruntime_c_api.h"

static const OrtApi *ib_api = NULL;

// ib_api_of finds the OrtApi of the loaded library h: 0, else 2 (no
// OrtGetApiBase) or 3 (no API of ORT_API_VERSION).
static int ib_api_of(void *h, const OrtApi **api) {
	typedef const OrtApiBase *(*get_base_fn)(void);
	get_base_fn get_base = (get_base_fn)dlsym(h, "OrtGetApiBase");
	if (!get_base) return 2;
	*api = get_base()->GetApi(ORT_API_VERSION);
	return *api ? 0 : 3;
}

static int ib_load(const char *path) {
	void *h = dlopen(path, RTLD_NOW | RTLD_NOLOAD);
	if (!h) return 1;
	return ib_api_of(h, &ib_api);
}

// ONNX Runtime's log, routed to Go (logger.go). ib_quiet_tls marks the
// calling thread's ORT calls as expected to fail (Quiet): their messages
// are kept for the caller, not logged.
extern void inferbenchORTLog(int severity, int quiet, char *category, char *message);
static __thread int ib_quiet_tls;
static void ib_set_quiet(int on) { ib_quiet_tls = on; }
static void ib_log(void *param, OrtLoggingLevel severity, const char *category, const char *logid,
		const char *code_location, const char *message) {
	inferbenchORTLog((int)severity, ib_quiet_tls, (char *)category, (char *)message);
}

// The environment that owns the logger. ORT keeps one environment per
// process: onnxruntime_go's later CreateEnv gets this one, with its logger.
static OrtEnv *ib_logger_env;

static int ib_install_logger(const char *path, int level) {
	void *h = dlopen(path, RTLD_NOW | RTLD_GLOBAL);
	if (!h) return 1;
	const OrtApi *api;
	int rc = ib_api_of(h, &api);
	if (rc) return rc;
	OrtStatus *st = api->CreateEnvWithCustomLogger(ib_log, NULL, (OrtLoggingLevel)level, "inferbench", &ib_logger_env);
	if (st) {
		api->ReleaseStatus(st);
		return 4;
	}
	return 0;
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
	"runtime"
	"sync"
	"unsafe"

	ortgo "github.com/yalue/onnxruntime_go"
)

var (
	loadOnce sync.Once
	loadErr  error
)

// APIVersion is the ORT_API_VERSION of the C headers capi is compiled
// with (internal/third_party/onnxruntime), the version Load asks for.
const APIVersion = C.ORT_API_VERSION

// ErrNotLoaded reports that the ORT library was not loaded into the
// process (call ort.Init first) or has no usable API.
var ErrNotLoaded = errors.New("capi: ONNX Runtime library not loaded")

// Load finds the OrtApi of the ONNX Runtime library at path, which must
// already be loaded (ort.Init), after checking onnxruntime_go's layout
// (CheckLayout). Every call returns the first one's result.
func Load(path string) error {
	loadOnce.Do(func() {
		if loadErr = CheckLayout(); loadErr != nil {
			return
		}
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

// SessionOf returns s's OrtSession (call Load first: it checks the layout
// this reads). Check it with CheckSession.
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
