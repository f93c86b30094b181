package ortlib

import (
	"context"
	"fmt"
	"io"
	"os"
)

// Setup makes sure s is installed. If s.Path already holds a file with the
// pinned sha256 it does nothing and returns false. Otherwise it installs
// s.Member from tarball, or, when tarball is "", from the tarball `npm pack
// pkg` downloads into a temporary directory (removed afterwards), and
// returns true. Progress goes to log.
func Setup(ctx context.Context, s Spec, pkg, tarball string, log io.Writer) (changed bool, err error) {
	ok, err := s.Installed()
	if err != nil {
		return false, err
	}
	if ok {
		return false, nil
	}
	if tarball == "" {
		dir, err := os.MkdirTemp("", "ortsetup-")
		if err != nil {
			return false, fmt.Errorf("ortlib: %w", err)
		}
		defer os.RemoveAll(dir)
		fmt.Fprintf(log, "npm pack %s\n", pkg)
		if tarball, err = Pack(ctx, dir, pkg, log); err != nil {
			return false, err
		}
	}
	fmt.Fprintf(log, "extracting %s from %s\n", s.Member, tarball)
	if err := s.InstallFrom(tarball); err != nil {
		return false, err
	}
	return true, nil
}
