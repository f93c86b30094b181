package tensorrt

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	ortgo "github.com/yalue/onnxruntime_go"

	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/backends/ort"
	"github.com/inferbench/inferbench/internal/backends/ort/cuda"
	"github.com/inferbench/inferbench/internal/backends/ort/gpulib"
)

// ProviderName is ORT's name for the TensorRT execution provider.
const ProviderName = "TensorrtExecutionProvider"

// Workspace is the TensorRT builder's workspace limit in bytes.
const Workspace = 4 << 30

// MaxBatch is the largest batch the optimisation profile admits (the
// largest scenario's).
const MaxBatch = 8

// CacheDir is where backend keeps engine and timing caches for m: under
// the directory holding m's ONNX file (the model cache).
func CacheDir(backend string, m *model.Model) string {
	return filepath.Join(filepath.Dir(m.ONNXPath), "tensorrt", backend)
}

// ProviderOptions returns the TensorRT provider options for precision p on
// GPU device, caching engines in cacheDir, with an optimisation profile
// spanning batch 1-MaxBatch and sequence 1-positions.
func ProviderOptions(p model.Precision, device int, cacheDir string, positions int) map[string]string {
	flag := func(b bool) string {
		if b {
			return "1"
		}
		return "0"
	}
	shapes := func(batch, seq int) string {
		return fmt.Sprintf("%s:%dx%d,%s:%dx%d", model.InputIDs, batch, seq, model.AttentionMask, batch, seq)
	}
	return map[string]string{
		"device_id":                             strconv.Itoa(device),
		"trt_max_workspace_size":                strconv.Itoa(Workspace),
		"trt_fp16_enable":                       flag(p == model.FP16),
		"trt_int8_enable":                       flag(p == model.INT8),
		"trt_int8_use_native_calibration_table": "0", // QDQ scales, no calibration table
		"trt_engine_cache_enable":               "1",
		"trt_engine_cache_path":                 cacheDir,
		"trt_timing_cache_enable":               "1",
		"trt_timing_cache_path":                 cacheDir,
		"trt_builder_optimization_level":        "3",
		"trt_max_partition_iterations":          "1000",
		"trt_min_subgraph_size":                 "1",
		"trt_cuda_graph_enable":                 "0", // inputs are re-bound every run
		"trt_dump_subgraphs":                    "0",
		"trt_profile_min_shapes":                shapes(1, 1),
		"trt_profile_opt_shapes":                shapes(1, min(32, positions)),
		"trt_profile_max_shapes":                shapes(MaxBatch, positions),
	}
}

// Provider returns the TensorRT provider with opts, recorded as
// "ort-trt-KEY: VALUE". Its Append first loads the NVIDIA libraries the
// CUDA and TensorRT providers need (cuda.Preload, Preload), then creates
// the ORT provider options,
// updates them with opts, appends them and destroys them; any failure is a
// *cuda.ProviderError.
func Provider(opts map[string]string) ort.Provider {
	return ort.Provider{
		Name: ProviderName,
		Append: func(so *ortgo.SessionOptions) error {
			if err := Preload(); err != nil {
				return &cuda.ProviderError{Provider: ProviderName, Err: err}
			}
			po, err := ortgo.NewTensorRTProviderOptions()
			if err != nil {
				return &cuda.ProviderError{Provider: ProviderName, Err: err}
			}
			defer po.Destroy()
			if err := po.Update(opts); err != nil {
				return &cuda.ProviderError{Provider: ProviderName, Err: err}
			}
			if err := so.AppendExecutionProviderTensorRT(po); err != nil {
				return &cuda.ProviderError{Provider: ProviderName, Err: err}
			}
			return nil
		},
		Config: cuda.ConfigLines("ort-trt-", opts),
	}
}

// ProviderLibrary is the TensorRT provider's file, beside the ORT library.
const ProviderLibrary = "libonnxruntime_providers_tensorrt.so"

// Preload loads the CUDA provider's NVIDIA libraries and the TensorRT
// provider's (libnvinfer.so.10, libnvonnxparser.so.10; PyPI's
// tensorrt-cu13-libs 10.x, found among the folders gpulib.Dirs lists,
// its tensorrt_libs folder included). A missing one is an error naming
// its soname.
func Preload() error {
	if _, err := cuda.Preload(); err != nil {
		return err
	}
	lib := filepath.Join(filepath.Dir(ort.LibraryPath()), ProviderLibrary)
	if _, err := os.Stat(lib); err != nil {
		return fmt.Errorf("the ONNX Runtime library %s has no TensorRT provider beside it (%s): run `make setup ORT_FLAVOR=gpu`", ort.LibraryPath(), ProviderLibrary)
	}
	_, err := gpulib.Preload(lib, gpulib.Dirs())
	return err
}
