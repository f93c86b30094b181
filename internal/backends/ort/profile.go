package ort

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ErrNoProfile reports that a session has no profile to read: profiling was
// off, the session is still open, or ORT wrote no file.
var ErrNoProfile = errors.New("no ORT profile")

// ProfilePath returns the JSON profile ORT wrote for this session. ORT
// writes it when the session ends, so call it after Close; it fails with
// ErrNoProfile when profiling was off (Options.ProfileDir unset).
func (s *Session) ProfilePath() (string, error) {
	if s.profile == "" {
		return "", fmt.Errorf("%s: %w: profiling was off (set ProfileDir)", s.backend, ErrNoProfile)
	}
	if s.sess != nil {
		return "", fmt.Errorf("%s: %w yet: ORT writes the profile when the session is closed", s.backend, ErrNoProfile)
	}
	// ORT names the file <prefix>_<date>_<time>.json.
	matches, err := filepath.Glob(s.profile + "_*.json")
	if err != nil {
		return "", fmt.Errorf("%s: %w", s.backend, err)
	}
	if len(matches) != 1 {
		return "", fmt.Errorf("%s: %w: %d files match %s_*.json", s.backend, ErrNoProfile, len(matches), s.profile)
	}
	return matches[0], nil
}

// event is the part of an ORT profile event ProfileOps reads.
type event struct {
	Cat  string `json:"cat"`
	Args struct {
		OpName string `json:"op_name"`
	} `json:"args"`
}

// ProfileOps parses an ORT JSON profile and returns, for every operator type
// that ran, the number of node events recorded for it (events with cat
// "Node" and an args.op_name). Use it to prove which kernels executed, e.g.
// that an INT8 model really ran MatMulInteger.
func ProfileOps(path string) (map[string]int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("ort: reading profile: %w", err)
	}
	var events []event
	if err := json.Unmarshal(data, &events); err != nil {
		return nil, fmt.Errorf("ort: parsing profile %s: %w", path, err)
	}
	ops := map[string]int{}
	for _, e := range events {
		if e.Cat == "Node" && e.Args.OpName != "" {
			ops[e.Args.OpName]++
		}
	}
	return ops, nil
}
