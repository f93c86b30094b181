package zoo

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/inferbench/inferbench/internal/lm/gpt2"
)

// hfDir writes a Hugging Face directory: config.json as given and the
// weights of small (1 layer) as model.safetensors.
func hfDir(t *testing.T, config string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, gpt2.ConfigFile), []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := gpt2.WriteSafetensors(filepath.Join(dir, gpt2.WeightsFile), gpt2.Seeded(small, 1), false, nil); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestHostileModelInputs: typos and hostile values in a model's identity
// and configuration end in a clear error naming the file (or setting) and
// the problem, before anything is allocated from them — never a crash, a
// hang, or a silently different model.
func TestHostileModelInputs(t *testing.T) {
	const good = `"n_head":2,"n_embd":8,"n_positions":16,"vocab_size":50`
	tests := []struct {
		name   string
		model  string // "dir:" + config.json, or a zoo name
		arch   string
		want   []string // substrings of the error; "$FILE" is the config path
		wantOK bool
	}{
		{"valid directory", `dir:{"n_layer":1,` + good + `}`, "", nil, true},
		{"arch wrong case", `dir:{"n_layer":1,` + good + `}`, "gpt2-124M", []string{"unknown architecture", `"gpt2-124M"`, `did you mean "gpt2-124m"`, "gpt2-355m"}, false},
		{"arch unknown, file", `dir:{"n_layer":1,` + good + `}`, "gpt-2", []string{"unknown architecture", "known architectures are gpt2-124m, gpt2-355m, gpt2-tiny"}, false},
		{"arch unknown, zoo", "gpt2-tiny", "gpt2-small", []string{"unknown architecture", `"gpt2-small"`}, false},
		{"arch contradicts zoo", "gpt2-tiny", "gpt2-124m", []string{"model identity mismatch", "gpt2-124m declared for zoo model gpt2-tiny, which is gpt2-tiny"}, false},
		{"arch contradicts weights", `dir:{"n_layer":1,` + good + `}`, "gpt2-124m", []string{"model identity mismatch", "124439808"}, false},
		{"vocab_size 0", `dir:{"n_layer":1,"n_head":2,"n_embd":8,"n_positions":16,"vocab_size":0}`, "", []string{"$FILE", "vocab_size is 0"}, false},
		{"vocab_size negative", `dir:{"n_layer":1,"n_head":2,"n_embd":8,"n_positions":16,"vocab_size":-5}`, "", []string{"$FILE", "vocab_size is -5"}, false},
		{"vocab_size absurd", `dir:{"n_layer":1,"n_head":2,"n_embd":8,"n_positions":16,"vocab_size":1000000000}`, "", []string{"$FILE", "vocab_size is 1000000000, want 1 to"}, false},
		{"n_layer 1e7", `dir:{"n_layer":10000000,` + good + `}`, "", []string{"$FILE", "n_layer is 10000000, want 1 to 1024"}, false},
		{"n_layer 1e12", `dir:{"n_layer":1000000000000,` + good + `}`, "", []string{"$FILE", "n_layer is 1000000000000"}, false},
		{"n_layer 1e30", `dir:{"n_layer":1e30,` + good + `}`, "", []string{"$FILE", "invalid gpt2 config", "n_layer"}, false},
		{"n_layer negative", `dir:{"n_layer":-1,` + good + `}`, "", []string{"$FILE", "n_layer is -1"}, false},
		{"n_layer beyond the weights", `dir:{"n_layer":1000,` + good + `}`, "", []string{"model.safetensors", "n_layer 1000 implies 12004 tensors", "holds 16 GPT-2 tensors"}, false},
		{"n_layer missing", `dir:{` + good + `}`, "", []string{"$FILE", "n_layer is missing"}, false},
		{"n_embd not divisible", `dir:{"n_layer":1,"n_head":3,"n_embd":8,"n_positions":16,"vocab_size":50}`, "", []string{"$FILE", "n_embd 8 not divisible by n_head 3"}, false},
		{"n_embd absurd", `dir:{"n_layer":1,"n_head":1,"n_embd":4294967296,"n_positions":16,"vocab_size":50}`, "", []string{"$FILE", "n_embd is 4294967296"}, false},
		{"n_positions 0", `dir:{"n_layer":1,"n_head":2,"n_embd":8,"n_positions":0,"vocab_size":50}`, "", []string{"$FILE", "n_positions is 0"}, false},
		{"epsilon negative", `dir:{"n_layer":1,` + good + `,"layer_norm_epsilon":-1e-5}`, "", []string{"$FILE", "layer_norm_epsilon is -1e-05"}, false},
		{"epsilon huge", `dir:{"n_layer":1,` + good + `,"layer_norm_epsilon":5}`, "", []string{"$FILE", "layer_norm_epsilon is 5"}, false},
		{"not JSON", `dir:{"n_layer":1,`, "", []string{"$FILE", "invalid gpt2 config"}, false},
		{"wrong type", `dir:{"n_layer":"twelve",` + good + `}`, "", []string{"$FILE", "invalid gpt2 config", "n_layer"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name, file := tt.model, ""
			if cfg, ok := strings.CutPrefix(tt.model, "dir:"); ok {
				dir := hfDir(t, cfg)
				name, file = FilePrefix+dir, filepath.Join(dir, gpt2.ConfigFile)
			}
			m, err := Resolve(name, Options{CacheDir: t.TempDir(), Architecture: tt.arch})
			if tt.wantOK {
				if err != nil {
					t.Fatal(err)
				}
				if m.Identity.Params != small.ParamCount() {
					t.Errorf("params %d, want %d", m.Identity.Params, small.ParamCount())
				}
				return
			}
			if err == nil {
				t.Fatalf("accepted (identity %v)", m.Identity)
			}
			for _, w := range tt.want {
				w = strings.ReplaceAll(w, "$FILE", file)
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}
