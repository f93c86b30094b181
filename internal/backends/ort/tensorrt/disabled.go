//go:build !tensorrt

package tensorrt

import (
	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
)

// Built reports whether the package was built with -tags tensorrt.
const Built = false

// Open implements backends.Backend: without -tags tensorrt the backend is
// unavailable.
func (b Backend) Open(*model.Model, backends.Options) (backends.Session, error) {
	return nil, backends.Unavailable(b.Name(), "built without -tags tensorrt")
}
