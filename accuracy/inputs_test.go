package accuracy

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/inferbench/inferbench/fixtures/corpus"
	"github.com/inferbench/inferbench/fixtures/gpt2"
	"github.com/inferbench/inferbench/fixtures/model"
	"github.com/inferbench/inferbench/fixtures/zoo"
)

// TestIdentityMismatchFails: a checkpoint declared as GPT-2 124M whose
// weights are gpt2-tiny's shape is an error, not a model to gate.
func TestIdentityMismatchFails(t *testing.T) {
	dir := t.TempDir()
	cfg, err := json.Marshal(zoo.TinyConfig)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "config.json"), cfg, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := gpt2.WriteSafetensors(filepath.Join(dir, "model.safetensors"), gpt2.Seeded(zoo.TinyConfig, 1), false, nil); err != nil {
		t.Fatal(err)
	}
	_, err = loadInputs(zoo.FilePrefix+dir, "gpt2-124m", "", 100)
	if !errors.Is(err, model.ErrIdentityMismatch) || !strings.Contains(err.Error(), "124439808") {
		t.Errorf("tiny weights declared gpt2-124m: err %v, want %v naming the declared count", err, model.ErrIdentityMismatch)
	}
}

func TestCorpusErrors(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.txt")
	blank := filepath.Join(dir, "blank.txt")
	binary := filepath.Join(dir, "binary.txt")
	for path, data := range map[string]string{empty: "", blank: " \n\t\n", binary: "\xff\xfe text"} {
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		path string
		want error
	}{
		{empty, corpus.ErrEmpty},
		{blank, corpus.ErrEmpty},
		{binary, corpus.ErrNotUTF8},
		{filepath.Join(dir, "missing.txt"), os.ErrNotExist},
	}
	for _, tt := range tests {
		_, err := loadInputs(zoo.Default, "", tt.path, 0)
		if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), "-corpus") || !strings.Contains(err.Error(), filepath.Base(tt.path)) {
			t.Errorf("%s: err %v, want %v naming -corpus and the file", filepath.Base(tt.path), err, tt.want)
		}
	}
}

// TestAnyTextCorpus: any UTF-8 text is a corpus; -max-tokens keeps a prefix.
func TestAnyTextCorpus(t *testing.T) {
	path := filepath.Join(t.TempDir(), "text.txt")
	if err := os.WriteFile(path, []byte("Ünïcödé text, 日本語 too: any UTF-8 is accepted.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	in, err := loadInputs(zoo.Default, "", path, 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(in.tokens) != 5 || in.corpus.Name != "text.txt" || in.corpus.SHA256 == "" {
		t.Errorf("%d tokens, corpus %+v", len(in.tokens), in.corpus)
	}
}
