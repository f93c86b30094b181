//go:build !cuda

package cuda_test

import (
	"errors"
	"testing"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/backends/ort/cuda"
)

func TestUnavailableWithoutTag(t *testing.T) {
	for _, b := range cuda.All() {
		s, err := b.Open(&model.Model{}, backends.Options{})
		if s != nil || !errors.Is(err, backends.ErrUnavailable) {
			t.Fatalf("%s: Open = %v, %v; want an unavailable error", b.Name(), s, err)
		}
		var u *backends.UnavailableError
		if !errors.As(err, &u) || u.Backend != b.Name() || u.Reason != "built without -tags cuda" {
			t.Errorf("%s: %v, want it unavailable built without -tags cuda", b.Name(), err)
		}
	}
}
