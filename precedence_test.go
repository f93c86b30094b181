package inferbench

import (
	"flag"
	"fmt"
	"testing"

	"github.com/inferbench/inferbench/internal/backends/suite"
	"github.com/inferbench/inferbench/internal/lm/zoo"
)

// TestPrecedence checks the one rule for every setting with a flag: the
// flag given on the command line, else the Option in code, else the
// INFERBENCH_* variable, else the default.
func TestPrecedence(t *testing.T) {
	cases := []struct {
		name string
		get  func(*run) string
		def  string
		// values a flag, an Option and a variable give
		flagVal, codeVal, envVal string
		code                     Option
	}{
		{"model", func(r *run) string { return r.Model }, zoo.Default, "gpt2-124m-arch", "file:/code", "file:/env", Model("file:/code")},
		{"arch", func(r *run) string { return r.Arch }, "", "gpt2-124m", "gpt2-355m", "gpt2-774m", Arch("gpt2-355m")},
		{"corpus", func(r *run) string { return r.Corpus }, "", "/flag.txt", "/code.txt", "/env.txt", Corpus("/code.txt")},
		{"backends", func(r *run) string { return r.Backends }, "", "reference", "ort-cpu,ort-cpu-fp16", "ort-cpu-int8", Backends("ort-cpu", "ort-cpu-fp16")},
		{"scenarios", func(r *run) string { return r.Scenarios }, "all", "report", "single_micro", "long", Scenarios("single_micro")},
		{"gen-scenarios", func(r *run) string { return r.GenScenarios }, "all", "gen_1x8+8", "gen_1x32+128", "gen_2x8+8", GenScenarios("gen_1x32+128")},
		{"threads", func(r *run) string { return itoa(r.Threads) }, "0", "5", "3", "2", Threads(3)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, tc := range []struct {
				what      string
				flag, env bool
				code      bool
				want      string
			}{
				{"default", false, false, false, c.def},
				{"variable", false, true, false, c.envVal},
				{"code over variable", false, true, true, c.codeVal},
				{"code", false, false, true, c.codeVal},
				{"flag over code and variable", true, true, true, c.flagVal},
				{"flag over code", true, false, true, c.flagVal},
				{"flag over variable", true, true, false, c.flagVal},
			} {
				env := map[string]string{}
				if tc.env {
					env[suite.Env[c.name]] = c.envVal
				}
				fs := flag.NewFlagSet("test", flag.ContinueOnError)
				s := &suite.Settings{}
				s.Register(fs, func(k string) string { return env[k] })
				var args []string
				if tc.flag {
					args = []string{"-" + c.name, c.flagVal}
				}
				if err := fs.Parse(args); err != nil {
					t.Fatal(err)
				}
				var opts []Option
				if tc.code {
					opts = append(opts, c.code)
				}
				if got := c.get(applyTo(s, opts)); got != tc.want {
					t.Errorf("%s: %s = %q, want %q", tc.what, c.name, got, tc.want)
				}
			}
		})
	}
	// Without RegisterFlags: the Option, else the variable, else the default.
	s := suite.FromEnv(func(k string) string { return map[string]string{"INFERBENCH_MODEL": "file:/env"}[k] })
	if got := applyTo(s, nil).Model; got != "file:/env" {
		t.Errorf("unregistered, variable only: model %q", got)
	}
	if got := applyTo(s, []Option{Model("file:/code")}).Model; got != "file:/code" {
		t.Errorf("unregistered, Option over variable: model %q", got)
	}
}

func itoa(n int) string { return fmt.Sprint(n) }
