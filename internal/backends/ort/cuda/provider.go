package cuda

import (
	"maps"
	"slices"
	"strconv"

	ortgo "github.com/yalue/onnxruntime_go"

	"github.com/inferbench/inferbench/internal/backends/ort"
)

// ProviderName is ORT's name for the CUDA execution provider.
const ProviderName = "CUDAExecutionProvider"

// DeviceID is the GPU the backends run on.
const DeviceID = 0

// ProviderOptions returns the CUDA provider options for GPU device: every
// option that affects speed, memory or numerics, with TF32 off, and CUDA
// graphs on when graph is set.
func ProviderOptions(device int, graph bool) map[string]string {
	g := "0"
	if graph {
		g = "1"
	}
	return map[string]string{
		"device_id":                          strconv.Itoa(device),
		"use_tf32":                           "0",          // fp32 matmuls: the fp32 accuracy gate fails TF32
		"cudnn_conv_algo_search":             "EXHAUSTIVE", // ORT's default, made explicit
		"cudnn_conv_use_max_workspace":       "1",
		"arena_extend_strategy":              "kNextPowerOfTwo",
		"gpu_mem_limit":                      "18446744073709551615", // SIZE_MAX: ORT's default, no limit
		"do_copy_in_default_stream":          "1",
		"enable_cuda_graph":                  g,
		"enable_skip_layer_norm_strict_mode": "0",
		"prefer_nhwc":                        "0",
		"tunable_op_enable":                  "0",
		"tunable_op_tuning_enable":           "0",
	}
}

// ConfigLines renders provider options as sorted configuration lines,
// "<prefix>KEY: VALUE".
func ConfigLines(prefix string, opts map[string]string) [][2]string {
	lines := make([][2]string, 0, len(opts))
	for _, k := range slices.Sorted(maps.Keys(opts)) {
		lines = append(lines, [2]string{prefix + k, opts[k]})
	}
	return lines
}

// ProviderError is ort.ProviderError, the one provider-error type of the
// ORT backends.
type ProviderError = ort.ProviderError

// Provider returns the CUDA provider with opts, recorded as
// "ort-cuda-KEY: VALUE". Its Append first loads the NVIDIA libraries the
// provider needs (Preload), then creates the ORT provider options,
// updates them with opts, appends them and destroys them; any failure is a
// *ProviderError.
func Provider(opts map[string]string) ort.Provider {
	return ort.Provider{
		Name: ProviderName,
		Append: func(so *ortgo.SessionOptions) error {
			if _, err := Preload(); err != nil {
				return &ProviderError{Provider: ProviderName, Err: err}
			}
			po, err := ortgo.NewCUDAProviderOptions()
			if err != nil {
				return &ProviderError{Provider: ProviderName, Err: err}
			}
			defer po.Destroy()
			if err := po.Update(opts); err != nil {
				return &ProviderError{Provider: ProviderName, Err: err}
			}
			if err := so.AppendExecutionProviderCUDA(po); err != nil {
				return &ProviderError{Provider: ProviderName, Err: err}
			}
			return nil
		},
		Config: ConfigLines("ort-cuda-", opts),
	}
}
