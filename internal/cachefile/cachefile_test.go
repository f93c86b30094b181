package cachefile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestCheck(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "f.onnx")
	sum, err := Write(path, []byte("graph bytes"))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := Check(path); err != nil || got != sum {
		t.Fatalf("Check after Write = %s, %v; want %s", got, err, sum)
	}
	tests := []struct {
		name    string
		corrupt func()
		want    error
		text    string
		gone    bool // the file is removed
	}{
		{"flipped byte, same size", func() { os.WriteFile(path, []byte("graph bytez"), 0o644) }, ErrCorrupt, "content sha256", true},
		{"truncated", func() { os.WriteFile(path, []byte("graph"), 0o644) }, nil, "another size", false},
		{"sidecar missing", func() { os.Remove(path + ".sha256") }, os.ErrNotExist, "", false},
		{"file missing", func() { os.Remove(path) }, os.ErrNotExist, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Write(path, []byte("graph bytes")); err != nil {
				t.Fatal(err)
			}
			tt.corrupt()
			os.Chtimes(path, time.Time{}, time.Now().Add(time.Minute)) // a new stamp even within the clock's resolution
			_, err := Check(path)
			if err == nil || (tt.want != nil && !errors.Is(err, tt.want)) || !strings.Contains(err.Error(), tt.text) {
				t.Fatalf("Check = %v, want %v saying %q", err, tt.want, tt.text)
			}
			if _, serr := os.Stat(path); tt.gone != errors.Is(serr, os.ErrNotExist) {
				t.Errorf("file removed: %v, want %v", errors.Is(serr, os.ErrNotExist), tt.gone)
			}
		})
	}
}

func TestRecord(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.safetensors")
	if err := os.WriteFile(path, []byte("weights"), 0o644); err != nil {
		t.Fatal(err)
	}
	sum, err := Record(path)
	if err != nil {
		t.Fatal(err)
	}
	Forget()
	if got, err := Check(path); err != nil || got != sum {
		t.Fatalf("Check after Record = %s, %v; want %s", got, err, sum)
	}
}
