//go:build !torch

package torch_test

import (
	"errors"
	"testing"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/backends/torch"
)

func TestUnavailableWithoutTag(t *testing.T) {
	for _, name := range []string{torch.Eager, torch.Compile} {
		be, err := backends.Lookup(name)
		if err != nil {
			t.Fatal(err)
		}
		s, err := be.Open(&model.Model{}, backends.Options{})
		if s != nil || !errors.Is(err, backends.ErrUnavailable) {
			t.Fatalf("%s: Open = %v, %v; want an unavailable error", name, s, err)
		}
		if r, want := backends.Reason(err), "built without -tags torch"; r != want {
			t.Errorf("%s: reason %q, want %q", name, r, want)
		}
	}
}
