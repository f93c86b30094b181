package ortlib

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const testMember = "package/bin/napi-v6/linux/x64/libonnxruntime.so.1"

var testLib = []byte("\x7fELF not really a library, but 42 bytes.")

func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

type entry struct {
	name string
	typ  byte
	body []byte
}

// writeTGZ writes a gzip-compressed tarball holding entries into dir.
func writeTGZ(t *testing.T, dir string, entries ...entry) string {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, e := range entries {
		h := &tar.Header{Name: e.name, Typeflag: e.typ, Mode: 0o644, Size: int64(len(e.body))}
		if e.typ != tar.TypeReg {
			h.Size = 0
			h.Linkname = "elsewhere"
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if e.typ == tar.TypeReg {
			if _, err := tw.Write(e.body); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "pkg.tgz")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestInstallFrom(t *testing.T) {
	readme := entry{"package/README.md", tar.TypeReg, []byte("readme")}
	good := entry{testMember, tar.TypeReg, testLib}
	tests := []struct {
		name    string
		entries []entry
		sha     string
		raw     []byte // written as the tarball instead of entries
		wantErr error
		errText string
	}{
		{name: "ok", entries: []entry{readme, good}, sha: sum(testLib)},
		{name: "wrong sha256", entries: []entry{readme, good}, sha: sum([]byte("other")), wantErr: ErrChecksum, errText: "has sha256 " + sum(testLib)},
		{name: "missing member", entries: []entry{readme}, sha: sum(testLib), wantErr: ErrNoMember, errText: testMember},
		{name: "member is a symlink", entries: []entry{{testMember, tar.TypeSymlink, nil}}, sha: sum(testLib), errText: "not a regular file"},
		{name: "not gzip", raw: []byte("this is not a tarball"), sha: sum(testLib), errText: "gzip"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			tgz := filepath.Join(dir, "pkg.tgz")
			if tt.raw != nil {
				if err := os.WriteFile(tgz, tt.raw, 0o644); err != nil {
					t.Fatal(err)
				}
			} else {
				tgz = writeTGZ(t, dir, tt.entries...)
			}
			dest := filepath.Join(dir, "cache", "1.30.0", "libonnxruntime.so.1")
			s := Spec{Member: testMember, SHA256: tt.sha, Path: dest}
			err := s.InstallFrom(tgz)
			if tt.wantErr == nil && tt.errText == "" {
				if err != nil {
					t.Fatalf("InstallFrom: %v", err)
				}
				got, err := os.ReadFile(dest)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, testLib) {
					t.Errorf("installed %q, want %q", got, testLib)
				}
				assertNoTemp(t, filepath.Dir(dest))
				return
			}
			if err == nil {
				t.Fatal("InstallFrom succeeded, want an error")
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("error %v does not wrap %v", err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.errText) || !strings.Contains(err.Error(), tgz) {
				t.Errorf("error %q does not mention %q and the tarball", err, tt.errText)
			}
			if _, err := os.Stat(dest); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("failed install left %s behind (stat: %v)", dest, err)
			}
			assertNoTemp(t, filepath.Dir(dest))
		})
	}
}

// TestChecksumKeepsGoodFile checks that a tarball with a bad member never
// replaces or deletes an installed file.
func TestChecksumKeepsGoodFile(t *testing.T) {
	dir := t.TempDir()
	dest := filepath.Join(dir, "lib.so")
	if err := os.WriteFile(dest, testLib, 0o644); err != nil {
		t.Fatal(err)
	}
	tgz := writeTGZ(t, dir, entry{testMember, tar.TypeReg, []byte("tampered")})
	s := Spec{Member: testMember, SHA256: sum(testLib), Path: dest}
	if err := s.InstallFrom(tgz); !errors.Is(err, ErrChecksum) {
		t.Fatalf("InstallFrom = %v, want ErrChecksum", err)
	}
	got, err := os.ReadFile(dest)
	if err != nil || !bytes.Equal(got, testLib) {
		t.Fatalf("installed file changed: %q, %v", got, err)
	}
	assertNoTemp(t, dir)
}

func TestSetupIdempotent(t *testing.T) {
	dir := t.TempDir()
	tgz := writeTGZ(t, dir, entry{testMember, tar.TypeReg, testLib})
	dest := filepath.Join(dir, "cache", "lib.so")
	s := Spec{Member: testMember, SHA256: sum(testLib), Path: dest}
	ctx := context.Background()

	changed, err := Setup(ctx, s, "unused@0", tgz, io.Discard)
	if err != nil || !changed {
		t.Fatalf("first Setup = %v, %v; want true, nil", changed, err)
	}
	fi1, err := os.Stat(dest)
	if err != nil {
		t.Fatal(err)
	}
	// Already installed: the tarball is not even opened.
	changed, err = Setup(ctx, s, "unused@0", filepath.Join(dir, "does-not-exist.tgz"), io.Discard)
	if err != nil || changed {
		t.Fatalf("second Setup = %v, %v; want false, nil", changed, err)
	}
	fi2, err := os.Stat(dest)
	if err != nil {
		t.Fatal(err)
	}
	if !os.SameFile(fi1, fi2) || !fi1.ModTime().Equal(fi2.ModTime()) {
		t.Error("second Setup rewrote the installed file")
	}

	// A damaged install is replaced.
	if err := os.WriteFile(dest, []byte("damaged"), 0o644); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.Installed(); ok || err != nil {
		t.Fatalf("Installed on a damaged file = %v, %v; want false, nil", ok, err)
	}
	changed, err = Setup(ctx, s, "unused@0", tgz, io.Discard)
	if err != nil || !changed {
		t.Fatalf("Setup over a damaged file = %v, %v; want true, nil", changed, err)
	}
	if ok, err := s.Installed(); !ok || err != nil {
		t.Fatalf("Installed after repair = %v, %v; want true, nil", ok, err)
	}
}

func assertNoTemp(t *testing.T, dir string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("temporary file %s left in %s", e.Name(), dir)
		}
	}
}
