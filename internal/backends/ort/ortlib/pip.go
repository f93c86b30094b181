package ortlib

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
)

// ErrNoPip reports that no pip was found to download a wheel with.
var ErrNoPip = errors.New("pip not found")

// pipCommand returns the command that runs pip: pip3, pip, or python3 -m
// pip, the first found on $PATH.
func pipCommand() ([]string, error) {
	for _, name := range []string{"pip3", "pip"} {
		if p, err := exec.LookPath(name); err == nil {
			return []string{p}, nil
		}
	}
	if p, err := exec.LookPath("python3"); err == nil {
		if exec.Command(p, "-m", "pip", "--version").Run() == nil {
			return []string{p, "-m", "pip"}, nil
		}
	}
	return nil, ErrNoPip
}

// PipDownload runs `pip download <args> -d dir req`, so pip's own index
// configuration applies (no registry URL is built in), and returns the
// path of the one wheel it wrote into dir. pip's output goes to log.
func PipDownload(ctx context.Context, dir, req string, args []string, log io.Writer) (string, error) {
	pip, err := pipCommand()
	if err != nil {
		return "", fmt.Errorf("ortlib: pip download %s: %w on $PATH (looked for pip3, pip and python3 -m pip); install pip, or pass the wheel with -wheel", req, err)
	}
	argv := append(append(append(pip[1:len(pip):len(pip)], args...), "-d", dir), req)
	cmd := exec.CommandContext(ctx, pip[0], argv...)
	cmd.Stdout = log
	cmd.Stderr = log
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("ortlib: pip download %s: %w", req, err)
	}
	wheels, err := filepath.Glob(filepath.Join(dir, "*.whl"))
	if err != nil || len(wheels) != 1 {
		return "", fmt.Errorf("ortlib: pip download %s: want one wheel in %s, found %d", req, dir, len(wheels))
	}
	return wheels[0], nil
}

// SetupWheel makes sure w is installed. If every member is already in
// place with its pinned sha256 it does nothing and returns false.
// Otherwise it installs them from wheel, or, when wheel is "", from the
// wheel `pip download <args> req` fetches into a temporary directory
// (removed afterwards), and returns true. Progress goes to log.
func SetupWheel(ctx context.Context, w Wheel, req string, args []string, wheel string, log io.Writer) (changed bool, err error) {
	ok, err := w.Installed()
	if err != nil {
		return false, err
	}
	if ok {
		return false, nil
	}
	if wheel == "" {
		dir, err := os.MkdirTemp("", "ortsetup-")
		if err != nil {
			return false, fmt.Errorf("ortlib: %w", err)
		}
		defer os.RemoveAll(dir)
		fmt.Fprintf(log, "pip download %s\n", req)
		if wheel, err = PipDownload(ctx, dir, req, args, log); err != nil {
			return false, err
		}
	}
	fmt.Fprintf(log, "extracting %d libraries from %s into %s\n", len(w.Members), wheel, w.Dir)
	if err := w.InstallFrom(wheel); err != nil {
		return false, err
	}
	return true, nil
}
