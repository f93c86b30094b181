package cuda

import (
	"errors"

	"github.com/inferbench/inferbench/backends"
)

// UnavailableReason returns why err, from opening an ORT session with a
// GPU provider, means the provider cannot run here (no ONNX Runtime
// library, or ORT refusing the provider, in ORT's words); "" for other
// errors.
func UnavailableReason(err error) string {
	if r := backends.Reason(err); r != "" {
		return r
	}
	var pe *ProviderError
	if errors.As(err, &pe) {
		return pe.Error()
	}
	return ""
}
