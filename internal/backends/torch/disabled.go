//go:build !torch

package torch

import (
	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
)

// Built reports whether the package was built with -tags torch.
const Built = false

// Open implements backends.Backend: without -tags torch both backends are
// unavailable.
func (b Backend) Open(*model.Model, backends.Options) (backends.Session, error) {
	return nil, backends.Unavailable(b.Name(), "built without -tags torch")
}
