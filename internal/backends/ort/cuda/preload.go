package cuda

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/inferbench/inferbench/internal/backends/ort"
	"github.com/inferbench/inferbench/internal/backends/ort/gpulib"
)

// ProviderLibrary is the CUDA provider's file, beside the ORT library.
const ProviderLibrary = "libonnxruntime_providers_cuda.so"

// CUDNN is the cuDNN soname ORT's CUDA provider opens by name.
const CUDNN = "libcudnn.so.9"

var (
	preloadOnce  sync.Once
	preloadPaths []string
	preloadErr   error
)

// Preload loads, once per process, every NVIDIA library the CUDA
// provider beside the loaded ORT library needs (its DT_NEEDED entries and
// cuDNN; see package gpulib), from the folders gpulib.Dirs lists, and
// returns their paths. A provider missing beside the ORT library (the
// npm CPU build) or a library found nowhere is an error naming the file
// or soname.
func Preload() ([]string, error) {
	preloadOnce.Do(func() { preloadPaths, preloadErr = preload() })
	return preloadPaths, preloadErr
}

func preload() ([]string, error) {
	if err := ort.Init(); err != nil {
		return nil, err
	}
	lib := ort.LibraryPath()
	provider := filepath.Join(filepath.Dir(lib), ProviderLibrary)
	if _, err := os.Stat(provider); err != nil {
		return nil, fmt.Errorf("the ONNX Runtime library %s has no CUDA provider beside it (%s): it is not a GPU build; run `make setup ORT_FLAVOR=gpu` or set $ONNXRUNTIME_SHARED_LIBRARY_PATH to one", lib, ProviderLibrary)
	}
	paths, err := gpulib.Preload(provider, gpulib.Dirs(), CUDNN)
	if err != nil {
		return nil, err
	}
	// cuDNN opens its sub-libraries by name later; load the ones beside
	// it now, best effort (a sub-library whose own needs are missing is
	// left to cuDNN, which reports it if it is ever used).
	for _, p := range paths {
		if filepath.Base(p) != CUDNN {
			continue
		}
		subs, _ := filepath.Glob(filepath.Join(filepath.Dir(p), "libcudnn_*.so.9"))
		for range 2 { // twice: a sub-library may need one loaded after it
			for _, s := range subs {
				_ = gpulib.Open(s)
			}
		}
	}
	return paths, nil
}
