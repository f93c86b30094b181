package ortlib

import (
	"archive/tar"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/inferbench/inferbench/internal/atomicfile"
	"github.com/inferbench/inferbench/internal/filehash"
)

// Spec names one file to install from an npm tarball.
type Spec struct {
	Member string // path inside the tarball, e.g. "package/bin/…/libonnxruntime.so.1"
	SHA256 string // expected lower-case hex sha256 of the member
	Path   string // destination file
}

// Installed reports whether s.Path exists with the expected sha256. A
// missing file is (false, nil); a file with another sha256 is (false, nil)
// too, and Install replaces it.
func (s Spec) Installed() (bool, error) {
	sum, err := fileSHA256(s.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return sum == s.SHA256, nil
}

// InstallFrom extracts s.Member from the gzip-compressed tarball at tgz,
// verifies its sha256 and renames it into s.Path. The member is written to
// a temporary file next to s.Path, so s.Path is either left untouched (on
// any error, including a checksum mismatch) or replaced whole.
func (s Spec) InstallFrom(tgz string) error {
	f, err := os.Open(tgz)
	if err != nil {
		return fmt.Errorf("ortlib: %w", err)
	}
	defer f.Close()
	if err := s.install(f); err != nil {
		return fmt.Errorf("ortlib: installing %s from %s: %w", s.Member, tgz, err)
	}
	return nil
}

func (s Spec) install(r io.Reader) (err error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return err
	}
	defer zr.Close()
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return ErrNoMember
		}
		if err != nil {
			return err
		}
		if h.Name != s.Member {
			continue
		}
		if h.Typeflag != tar.TypeReg {
			return fmt.Errorf("member is not a regular file (tar type %q)", h.Typeflag)
		}
		return s.write(tr)
	}
}

// write copies r to a temporary file beside s.Path, checks its sha256 and
// renames it into place.
func (s Spec) write(r io.Reader) error {
	if err := os.MkdirAll(filepath.Dir(s.Path), 0o755); err != nil {
		return err
	}
	return atomicfile.Write(s.Path, func(w io.Writer) error {
		h := sha256.New()
		if _, err := io.Copy(io.MultiWriter(w, h), r); err != nil {
			return err
		}
		if got := hex.EncodeToString(h.Sum(nil)); got != s.SHA256 {
			return fmt.Errorf("%w: %s has sha256 %s, pinned %s", ErrChecksum, s.Member, got, s.SHA256)
		}
		return nil
	})
}

func fileSHA256(path string) (string, error) {
	sum, err := filehash.File(path)
	if err != nil {
		return "", fmt.Errorf("ortlib: %w", err)
	}
	return sum, nil
}
