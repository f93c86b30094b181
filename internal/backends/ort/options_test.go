package ort

import (
	"strings"
	"testing"

	ortgo "github.com/yalue/onnxruntime_go"
)

func validOptions() Options {
	return Options{
		IntraOpThreads:    2,
		InterOpThreads:    1,
		ExecutionMode:     ortgo.ExecutionModeSequential,
		GraphOptimization: ortgo.GraphOptimizationLevelEnableAll,
		CPUMemArena:       true,
	}
}

func TestOptionsValidate(t *testing.T) {
	tests := []struct {
		name     string
		edit     func(*Options)
		wantText string
	}{
		{"ok", func(*Options) {}, ""},
		{"default intra threads", func(o *Options) { o.IntraOpThreads = 0 }, "must both be at least 1"},
		{"default inter threads", func(o *Options) { o.InterOpThreads = 0 }, "must both be at least 1"},
		{"bad mode", func(o *Options) { o.ExecutionMode = 7 }, "unknown execution mode"},
		{"bad level", func(o *Options) { o.GraphOptimization = 3 }, "unknown graph optimization level"},
		{"provider without Append", func(o *Options) { o.Providers = []Provider{{Name: "X"}} }, `provider "X"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := validOptions()
			tt.edit(&o)
			err := o.validate()
			if tt.wantText == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantText) {
				t.Errorf("validate = %v, want an error mentioning %q", err, tt.wantText)
			}
		})
	}
}

func TestOptionsConfig(t *testing.T) {
	o := validOptions()
	o.Entries = [][2]string{{"session.intra_op.allow_spinning", "0"}}
	o.Providers = []Provider{{
		Name:   "CUDAExecutionProvider",
		Append: func(*ortgo.SessionOptions) error { return nil },
		Config: [][2]string{{"ort-cuda-device-id", "0"}},
	}}
	got := map[string]string{}
	for _, kv := range o.config() {
		if _, dup := got[kv[0]]; dup {
			t.Errorf("duplicate key %q", kv[0])
		}
		got[kv[0]] = kv[1]
	}
	want := map[string]string{
		"ort-intra-op-threads":                       "2",
		"ort-inter-op-threads":                       "1",
		"ort-execution-mode":                         "ORT_SEQUENTIAL",
		"ort-graph-optimization":                     "ORT_ENABLE_ALL",
		"ort-cpu-mem-arena":                          "on",
		"ort-mem-pattern":                            "off",
		"ort-providers":                              "CUDAExecutionProvider,CPUExecutionProvider",
		"ort-io-binding":                             "on",
		"ort-rebind-inputs":                          "off",
		"ort-config-session.intra_op.allow_spinning": "0",
		"ort-cuda-device-id":                         "0",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	if len(got) != len(want) {
		t.Errorf("config has %d keys, want %d: %v", len(got), len(want), got)
	}
}
