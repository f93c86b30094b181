//go:build webgpu

package webgpu

import (
	ortgo "github.com/yalue/onnxruntime_go"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/backends/ort"
	"github.com/inferbench/inferbench/internal/backends/ort/cpu"
)

// Built reports whether the package was built with -tags webgpu.
const Built = true

// Options returns the session options ort-webgpu uses for opts: ort-cpu's
// (for the nodes that fall back to the CPU provider), the WebGPU provider
// with ORT's default provider options, and inputs re-bound before every run.
func Options(opts backends.Options) ort.Options {
	o := cpu.Options(opts)
	o.Providers = []ort.Provider{{
		Name: ProviderName,
		Append: func(so *ortgo.SessionOptions) error {
			if err := so.AppendExecutionProvider(ProviderName, map[string]string{}); err != nil {
				return &ort.ProviderError{Provider: ProviderName, Err: err}
			}
			return nil
		},
		Config: [][2]string{{"ort-webgpu-provider-options", "{}"}},
	}}
	o.RebindInputs = true
	return o
}

// Open implements backends.Backend. The session is an *ort.Session. A
// library without the WebGPU provider, or a machine where ORT finds no
// WebGPU adapter, makes the backend unavailable with ORT's message.
func (Backend) Open(m *model.Model, opts backends.Options) (backends.Session, error) {
	s, err := ort.Open(Name, m, Options(opts))
	if err != nil {
		if r := ort.UnavailableReason(err); r != "" {
			return nil, backends.Unavailable(Name, "%s", r)
		}
		return nil, err
	}
	return s, nil
}
