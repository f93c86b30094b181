//go:build cuda

package cuda

import (
	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/ort"
	"github.com/inferbench/inferbench/backends/ort/cpu"
	"github.com/inferbench/inferbench/fixtures/model"
)

// Built reports whether the package was built with -tags cuda.
const Built = true

// Options returns the session options ort-cuda uses for opts: ort-cpu's,
// the CUDA provider on DeviceID with ProviderOptions, and inputs re-bound
// before every run.
func Options(opts backends.Options) ort.Options {
	o := cpu.Options(opts)
	o.Providers = []ort.Provider{Provider(ProviderOptions(DeviceID))}
	o.RebindInputs = true
	return o
}

// Open implements backends.Backend. The session is an *ort.Session. A
// library without the CUDA provider (the npm CPU build) or a machine
// without a usable GPU makes the backend unavailable with ORT's message.
func (Backend) Open(m *model.Model, opts backends.Options) (backends.Session, error) {
	s, err := ort.Open(Name, m, Options(opts))
	if err != nil {
		if r := UnavailableReason(err); r != "" {
			return nil, backends.Unavailable(Name, "%s", r)
		}
		return nil, err
	}
	return s, nil
}
