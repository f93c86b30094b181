//go:build !cuda

package cuda_test

import (
	"errors"
	"testing"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/ort/cuda"
	"github.com/inferbench/inferbench/fixtures/model"
)

func TestUnavailableWithoutTag(t *testing.T) {
	s, err := cuda.Backend{}.Open(&model.Model{}, backends.Options{})
	if s != nil || !errors.Is(err, backends.ErrUnavailable) {
		t.Fatalf("Open = %v, %v; want an unavailable error", s, err)
	}
	if r, want := backends.Reason(err), "built without -tags cuda"; r != want {
		t.Errorf("reason %q, want %q", r, want)
	}
}
