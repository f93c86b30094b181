package accuracy

import (
	"errors"
	"strings"
	"testing"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
)

func TestSelectBackends(t *testing.T) {
	names := func(bs []backends.Backend) string {
		var n []string
		for _, b := range bs {
			n = append(n, b.Name())
		}
		return strings.Join(n, ",")
	}
	base, cands, err := SelectBackends(FallbackBaseline, []string{"ort-cpu-fp16", " ort-cpu "})
	if err != nil || base.Name() != FallbackBaseline || names(cands) != "ort-cpu-fp16,"+Reference {
		t.Errorf("named candidates: base %v, candidates %s, %v; want the named ones but the baseline, then the reference", base, names(cands), err)
	}
	_, all, err := SelectBackends(Reference, nil)
	if err != nil || len(all) != len(backends.Names())-1 || strings.Contains(","+names(all)+",", ","+Reference+",") {
		t.Errorf("default candidates %s, %v; want every registered backend but the baseline", names(all), err)
	}
	if _, _, err := SelectBackends("ort-tpu", nil); err == nil || !strings.Contains(err.Error(), "-baseline") {
		t.Errorf("unknown baseline: %v", err)
	}
	if _, _, err := SelectBackends(Reference, []string{"ort-tpu"}); err == nil || !strings.Contains(err.Error(), "-backends") {
		t.Errorf("unknown candidate: %v", err)
	}
}

// TestRunGatesRefusesSeeded: a seeded model is refused before anything
// opens.
func TestRunGatesRefusesSeeded(t *testing.T) {
	m := fakeModel(model.Seeded)
	if _, err := RunGates(m, nil, []int64{1, 2, 3}, Gates{}); !errors.Is(err, ErrSeeded) {
		t.Errorf("RunGates(seeded) = %v, want %v", err, ErrSeeded)
	}
}
