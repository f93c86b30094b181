//go:build !linux

package quiet

import (
	"errors"
	"os/exec"
)

func affinity([]int) (func(*exec.Cmd) error, string, error) {
	return nil, "", errors.New("CPU affinity is implemented for Linux only")
}
