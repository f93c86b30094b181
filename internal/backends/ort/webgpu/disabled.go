//go:build !webgpu

package webgpu

import (
	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
)

// Built reports whether the package was built with -tags webgpu.
const Built = false

// Open implements backends.Backend: without -tags webgpu the backend is
// unavailable.
func (Backend) Open(*model.Model, backends.Options) (backends.Session, error) {
	return nil, backends.Unavailable(Name, "built without -tags webgpu")
}
