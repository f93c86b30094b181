package gpulib

/*
#include <dlfcn.h>
#include <stdlib.h>
#include <stddef.h>

typedef int (*malloc_fn)(void **, size_t);
typedef int (*free_fn)(void *);
typedef int (*memcpy_fn)(void *, const void *, size_t, int);
typedef int (*setdev_fn)(int);
typedef const char *(*errstr_fn)(int);
typedef int (*sync_fn)(void *);

static malloc_fn ib_cuda_malloc;
static free_fn ib_cuda_free;
static memcpy_fn ib_cuda_memcpy;
static setdev_fn ib_cuda_set_device;
static errstr_fn ib_cuda_error_string;
static sync_fn ib_cuda_stream_sync;

static int ib_cudart_load(const char *soname) {
	void *h = dlopen(soname, RTLD_NOW | RTLD_GLOBAL);
	if (!h) return 1;
	ib_cuda_malloc = (malloc_fn)dlsym(h, "cudaMalloc");
	ib_cuda_free = (free_fn)dlsym(h, "cudaFree");
	ib_cuda_memcpy = (memcpy_fn)dlsym(h, "cudaMemcpy");
	ib_cuda_set_device = (setdev_fn)dlsym(h, "cudaSetDevice");
	ib_cuda_error_string = (errstr_fn)dlsym(h, "cudaGetErrorString");
	ib_cuda_stream_sync = (sync_fn)dlsym(h, "cudaStreamSynchronize");
	return (ib_cuda_malloc && ib_cuda_free && ib_cuda_memcpy && ib_cuda_set_device && ib_cuda_error_string && ib_cuda_stream_sync) ? 0 : 2;
}
static int ib_malloc(void **p, size_t n) { return ib_cuda_malloc(p, n); }
static int ib_free(void *p) { return ib_cuda_free(p); }
static int ib_memcpy(void *dst, const void *src, size_t n, int kind) { return ib_cuda_memcpy(dst, src, n, kind); }
static int ib_set_device(int d) { return ib_cuda_set_device(d); }
static const char *ib_errstr(int e) { return ib_cuda_error_string(e); }
// The legacy default stream (handle 0): the stream cudaMemcpy uses.
static int ib_sync_legacy(void) { return ib_cuda_stream_sync(NULL); }
*/
import "C"

import (
	"fmt"
	"sync"
	"unsafe"
)

// CUDARuntime is the CUDA runtime's soname the ORT 1.30 GPU build links.
const CUDARuntime = "libcudart.so.13"

var (
	cudartOnce sync.Once
	cudartErr  error
)

// LoadCUDARuntime resolves the few CUDA runtime calls the GPU backends
// make themselves (cudaMalloc, cudaFree, cudaMemcpy, cudaSetDevice,
// cudaStreamSynchronize). Call
// it after Preload, which loads CUDARuntime from wherever it was found.
func LoadCUDARuntime() error {
	cudartOnce.Do(func() {
		cs := C.CString(CUDARuntime)
		defer C.free(unsafe.Pointer(cs))
		switch C.ib_cudart_load(cs) {
		case 0:
		case 1:
			cudartErr = &MissingError{Soname: CUDARuntime, For: "the GPU backends", Dirs: []string{"<loaded libraries and the system linker>"}}
		default:
			cudartErr = fmt.Errorf("gpulib: %s lacks cudaMalloc, cudaFree, cudaMemcpy, cudaSetDevice, cudaStreamSynchronize or cudaGetErrorString", CUDARuntime)
		}
	})
	return cudartErr
}

func cudaErr(what string, code C.int) error {
	if code == 0 {
		return nil
	}
	return fmt.Errorf("gpulib: %s: CUDA error %d (%s)", what, int(code), C.GoString(C.ib_errstr(code)))
}

// DeviceBuffer is memory on a CUDA device from cudaMalloc.
type DeviceBuffer struct {
	Ptr   unsafe.Pointer
	Bytes uintptr
}

// Malloc allocates n bytes on device (cudaSetDevice, then cudaMalloc).
func Malloc(device int, n uintptr) (*DeviceBuffer, error) {
	if err := LoadCUDARuntime(); err != nil {
		return nil, err
	}
	if err := cudaErr("cudaSetDevice", C.ib_set_device(C.int(device))); err != nil {
		return nil, err
	}
	var p unsafe.Pointer
	if err := cudaErr(fmt.Sprintf("cudaMalloc(%d)", n), C.ib_malloc(&p, C.size_t(n))); err != nil {
		return nil, err
	}
	return &DeviceBuffer{Ptr: p, Bytes: n}, nil
}

// Free releases b; it is a no-op on nil or freed buffers.
func (b *DeviceBuffer) Free() error {
	if b == nil || b.Ptr == nil {
		return nil
	}
	err := cudaErr("cudaFree", C.ib_free(b.Ptr))
	b.Ptr = nil
	return err
}

// cudaMemcpyKind values.
const (
	hostToDevice = 1
	deviceToHost = 2
)

// CopyIn copies len(src)·size bytes from host memory at src into b and
// returns once they are in device memory. It panics if they do not fit.
//
// cudaMemcpy from pageable host memory returns as soon as the bytes are
// staged, before the DMA to the device has finished, and it runs on the
// legacy default stream, with which ONNX Runtime's CUDA streams (created
// non-blocking) do not synchronize: a kernel ORT launches right after
// could read the previous contents. CopyIn therefore synchronizes the
// legacy default stream after the copy (cudaStreamSynchronize(0)), which
// orders the copy before any later work on any stream.
func CopyIn[T any](b *DeviceBuffer, src []T) error {
	n := uintptr(len(src)) * unsafe.Sizeof(*new(T))
	if n > b.Bytes {
		panic(fmt.Sprintf("gpulib: copying %d bytes into a %d-byte device buffer", n, b.Bytes))
	}
	if n == 0 {
		return nil
	}
	if err := cudaErr("cudaMemcpy host to device", C.ib_memcpy(b.Ptr, unsafe.Pointer(&src[0]), C.size_t(n), hostToDevice)); err != nil {
		return err
	}
	return cudaErr("cudaStreamSynchronize after the copy to the device", C.ib_sync_legacy())
}

// CopyOut copies len(dst)·size bytes from b into host memory at dst
// (cudaMemcpy, which returns once a copy to pageable host memory is
// complete). Callers copy out after ORT's Run returned, and Run
// synchronizes ORT's stream before it returns. It panics if b holds fewer.
func CopyOut[T any](dst []T, b *DeviceBuffer) error {
	n := uintptr(len(dst)) * unsafe.Sizeof(*new(T))
	if n > b.Bytes {
		panic(fmt.Sprintf("gpulib: copying %d bytes out of a %d-byte device buffer", n, b.Bytes))
	}
	if n == 0 {
		return nil
	}
	return cudaErr("cudaMemcpy device to host", C.ib_memcpy(unsafe.Pointer(&dst[0]), b.Ptr, C.size_t(n), deviceToHost))
}
