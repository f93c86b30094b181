package ortlib

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestResolveOrder(t *testing.T) {
	const env, cache = "/env/libonnxruntime.so", "/cache/libonnxruntime.so.1"
	tests := []struct {
		name    string
		env     string
		present []string
		want    string
		wantErr error
		errText []string
	}{
		{name: "env wins", env: env, present: []string{env, cache}, want: env},
		{name: "env only", env: env, present: []string{env}, want: env},
		{name: "cache when env unset", present: []string{env, cache}, want: cache},
		{name: "env missing: no fall-back to the cache", env: env, present: []string{cache}, wantErr: ErrBadLibraryPath,
			errText: []string{"ONNXRUNTIME_SHARED_LIBRARY_PATH=" + env + ": no such file"}},
		{name: "nothing, env unset", wantErr: ErrNotFound, errText: []string{"$ONNXRUNTIME_SHARED_LIBRARY_PATH (unset)", cache, "make setup"}},
		{name: "nothing, env set", env: env, wantErr: ErrBadLibraryPath, errText: []string{env + ": no such file", cache, "make setup"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			exists := func(p string) bool {
				for _, q := range tt.present {
					if p == q {
						return true
					}
				}
				return false
			}
			got, err := resolve(tt.env, exists, cache)
			if tt.errText == nil {
				if err != nil || got != tt.want {
					t.Fatalf("resolve = %q, %v; want %q", got, err, tt.want)
				}
				return
			}
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("resolve = %q, %v; want %v", got, err, tt.wantErr)
			}
			for _, s := range tt.errText {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not mention %q", err, s)
				}
			}
		})
	}
}

func TestResolveEnv(t *testing.T) {
	dir := t.TempDir()
	lib := filepath.Join(dir, "libonnxruntime.so")
	if err := os.WriteFile(lib, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("XDG_CACHE_HOME", filepath.Join(dir, "empty-cache"))
	t.Setenv(EnvLibraryPath, lib)
	if got, err := Resolve(); err != nil || got != lib {
		t.Errorf("Resolve = %q, %v; want %q", got, err, lib)
	}
	// A directory is not a library.
	t.Setenv(EnvLibraryPath, dir)
	if got, err := Resolve(); !errors.Is(err, ErrBadLibraryPath) || !strings.Contains(err.Error(), dir) {
		t.Errorf("Resolve with a directory = %q, %v; want ErrBadLibraryPath naming it", got, err)
	}
}

func TestCachePath(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", "/xdg")
	got, err := CachePath()
	if err != nil {
		t.Fatal(err)
	}
	if want := "/xdg/inferbench/onnxruntime/1.30.0/libonnxruntime.so.1"; got != want {
		t.Errorf("CachePath = %q, want %q", got, want)
	}
}

func TestCheckPlatform(t *testing.T) {
	if err := CheckPlatform("linux", "amd64"); err != nil {
		t.Errorf("linux/amd64: %v", err)
	}
	for _, p := range [][2]string{{"darwin", "arm64"}, {"linux", "arm64"}, {"windows", "amd64"}} {
		err := CheckPlatform(p[0], p[1])
		if !errors.Is(err, ErrPlatform) || !strings.Contains(err.Error(), p[0]+"/"+p[1]) {
			t.Errorf("%s/%s: %v, want ErrPlatform naming the platform", p[0], p[1], err)
		}
	}
}
