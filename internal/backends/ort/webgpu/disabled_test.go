//go:build !webgpu

package webgpu_test

import (
	"errors"
	"testing"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/backends/ort/webgpu"
)

func TestUnavailableWithoutTag(t *testing.T) {
	s, err := webgpu.Backend{}.Open(&model.Model{}, backends.Options{})
	if s != nil || !errors.Is(err, backends.ErrUnavailable) {
		t.Fatalf("Open = %v, %v; want an unavailable error", s, err)
	}
	if r, want := backends.Reason(err), "built without -tags webgpu"; r != want {
		t.Errorf("reason %q, want %q", r, want)
	}
}
