//go:build !cuda

package cuda

import (
	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
)

// Built reports whether the package was built with -tags cuda.
const Built = false

// Open implements backends.Backend: without -tags cuda the backend is
// unavailable.
func (b Backend) Open(*model.Model, backends.Options) (backends.Session, error) {
	return nil, backends.Unavailable(b.name, "built without -tags cuda")
}
