package variant_test

import (
	"strings"
	"testing"

	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/backends/ort/variant"
	"github.com/inferbench/inferbench/internal/lm/zoo"
)

// TestJudgeFused: a probe that ran every fused node as its contrib kernel
// passes; one where ORT ran fewer (a node rewritten or decomposed), or a
// model that records no counts, is degraded with the reason.
func TestJudgeFused(t *testing.T) {
	kernels := func(ops ...string) *variant.Profile {
		p := &variant.Profile{}
		for _, op := range ops {
			p.Kernels = append(p.Kernels, variant.Kernel{Op: op})
		}
		return p
	}
	fused := &model.Model{Identity: model.Identity{Extra: map[string]string{zoo.ExtraFusedOps: "Attention=2,FastGelu=1"}}}
	type judgeCase struct {
		name     string
		p        *variant.Profile
		m        *model.Model
		line     string
		degraded string // substring; "" = not degraded
	}
	tests := []judgeCase{
		{"all fused", kernels("Attention", "MatMul", "Attention", "FastGelu"), fused, "Attention=2,FastGelu=1", ""},
		{"one attention unfused", kernels("Attention", "Softmax", "FastGelu"), fused, "Attention=1,FastGelu=1", "1 of 2 Attention"},
		{"nothing fused", kernels("MatMul"), fused, "Attention=0,FastGelu=0", "0 of 1 FastGelu"},
		{"no counts", kernels("Attention"), &model.Model{}, "unknown", "no fused-op counts"},
	}
	half := func(ops ...string) *variant.Profile {
		p := kernels(ops...)
		for i := range p.Kernels {
			p.Kernels[i].Inputs = []string{"float16"}
		}
		return p
	}
	fp16 := &model.Model{Identity: model.Identity{Precision: model.FP16, Extra: fused.Identity.Extra}}
	tests = append(tests,
		judgeCase{"fp16 in float16", half("Attention", "Attention", "FastGelu"), fp16, "Attention=2,FastGelu=1", ""},
		judgeCase{"fp16 in float32", kernels("Attention", "Attention", "FastGelu"), fp16, "Attention=2,FastGelu=1", "0 of 3 fused kernels took float16"},
	)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines, degraded := variant.JudgeFused(tt.p, tt.m)
			if len(lines) == 0 || lines[0] != [2]string{"fused-kernels", tt.line} {
				t.Errorf("lines %v, want fused-kernels: %s", lines, tt.line)
			}
			if (tt.degraded == "") != (degraded == "") || !strings.Contains(degraded, tt.degraded) {
				t.Errorf("degraded %q, want %q", degraded, tt.degraded)
			}
		})
	}
}

func TestParseCounts(t *testing.T) {
	for _, s := range []string{"", "none", "A=1", "A=1,B=20"} {
		c, err := variant.ParseCounts(s)
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		if back := variant.FormatCounts(c); s != "" && back != s {
			t.Errorf("%q → %v → %q", s, c, back)
		}
	}
	for _, bad := range []string{"A", "A=x", "=1", "A=-1", "A=1,"} {
		if _, err := variant.ParseCounts(bad); err == nil {
			t.Errorf("ParseCounts(%q) accepted", bad)
		}
	}
}
