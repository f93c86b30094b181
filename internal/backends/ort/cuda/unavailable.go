package cuda

import "github.com/inferbench/inferbench/internal/backends/ort"

// UnavailableReason is ort.UnavailableReason: why an error from opening an
// ORT session with a GPU provider means the provider cannot run here.
var UnavailableReason = ort.UnavailableReason
