package corpus

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// A Case is one hostile input and what the tool must do with it.
type Case struct {
	Name   string // file name without .case
	Path   string
	Args   []string
	Exit   int
	Want   []string
	Before string
	Lacks  [][2]string // file, text
	Reject []string    // texts the output must not contain
	Files  map[string][]byte
	order  []string
	nonl   []string
	copies [][2]string
	subs   [][3]string
}

// Load reads every *.case file of dir.
func Load(dir string) ([]*Case, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.case"))
	if err != nil {
		return nil, err
	}
	var out []*Case
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		c, err := Parse(p, data)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// Parse parses one case file; path names it in errors.
func Parse(path string, data []byte) (*Case, error) {
	c := &Case{Name: strings.TrimSuffix(filepath.Base(path), ".case"), Path: path, Exit: -1, Files: map[string][]byte{}}
	lines := strings.SplitAfter(string(data), "\n")
	cur := ""
	hasExit := false
	for i, line := range lines {
		if name, ok := marker(line); ok {
			if _, dup := c.Files[name]; dup {
				return nil, fmt.Errorf("%s:%d: file %s twice", path, i+1, name)
			}
			cur = name
			c.Files[name] = []byte{}
			c.order = append(c.order, name)
			continue
		}
		if cur != "" {
			c.Files[cur] = append(c.Files[cur], line...)
			continue
		}
		text := strings.TrimSpace(line)
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		key, val, ok := strings.Cut(text, ":")
		val = strings.TrimSpace(val)
		if !ok {
			return nil, fmt.Errorf("%s:%d: want \"key: value\", have %q", path, i+1, text)
		}
		var err error
		switch key {
		case "args":
			c.Args = strings.Fields(val)
		case "exit":
			c.Exit, err = strconv.Atoi(val)
			hasExit = true
		case "want":
			c.Want = append(c.Want, val)
		case "before":
			c.Before = val
		case "nonl":
			c.nonl = append(c.nonl, val)
		case "copy":
			f := strings.Fields(val)
			if len(f) != 2 {
				err = fmt.Errorf("copy: want NAME SRC")
			} else {
				c.copies = append(c.copies, [2]string{f[0], f[1]})
			}
		case "sub":
			name, rest, _ := strings.Cut(val, " ")
			old, new, ok := strings.Cut(rest, " => ")
			if !ok {
				err = fmt.Errorf("sub: want NAME OLD => NEW")
			}
			c.subs = append(c.subs, [3]string{name, escapes.Replace(old), escapes.Replace(new)})
		case "reject":
			c.Reject = append(c.Reject, val)
		case "lacks":
			name, text, _ := strings.Cut(val, " ")
			c.Lacks = append(c.Lacks, [2]string{name, text})
		default:
			err = fmt.Errorf("unknown key %q", key)
		}
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, i+1, err)
		}
	}
	switch {
	case len(c.Args) == 0:
		return nil, fmt.Errorf("%s: no args line", path)
	case !hasExit:
		return nil, fmt.Errorf("%s: no exit line", path)
	case len(c.Want) == 0:
		return nil, fmt.Errorf("%s: no want line: every case names the problem it expects", path)
	}
	return c, nil
}

// escapes are the escapes sub understands, for whitespace.
var escapes = strings.NewReplacer(`\n`, "\n", `\t`, "\t", `\\`, `\`)

func marker(line string) (string, bool) {
	line = strings.TrimRight(line, "\r\n")
	if strings.HasPrefix(line, "-- ") && strings.HasSuffix(line, " --") && len(line) > 6 {
		return strings.TrimSpace(line[3 : len(line)-3]), true
	}
	return "", false
}

// Materialize writes the case's files under dir, applying copy, sub and
// nonl, and returns the arguments with $DIR expanded.
func (c *Case) Materialize(dir string) ([]string, error) {
	files := make(map[string][]byte, len(c.Files))
	for k, v := range c.Files {
		files[k] = v
	}
	for _, cp := range c.copies {
		data, err := os.ReadFile(filepath.Join(filepath.Dir(c.Path), cp[1]))
		if err != nil {
			return nil, fmt.Errorf("%s: copy: %w", c.Path, err)
		}
		files[cp[0]] = data
	}
	for _, s := range c.subs {
		data, ok := files[s[0]]
		if !ok || !bytes.Contains(data, []byte(s[1])) {
			return nil, fmt.Errorf("%s: sub: %s has no %q", c.Path, s[0], s[1])
		}
		files[s[0]] = bytes.Replace(data, []byte(s[1]), []byte(s[2]), 1)
	}
	for _, n := range c.nonl {
		files[n] = bytes.TrimSuffix(files[n], []byte("\n"))
	}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return nil, err
		}
	}
	args := make([]string, len(c.Args))
	for i, a := range c.Args {
		args[i] = strings.ReplaceAll(a, "$DIR", dir)
	}
	return args, nil
}

// Run runs every case of dir as a subtest: run gets the arguments and
// returns the exit status and the output (stdout and stderr). Each case
// must exit as stated, with every want text in its output, and leave no
// file it lacks.
func Run(t *testing.T, dir string, run func(args []string) (int, string)) []*Case {
	t.Helper()
	cases, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) == 0 {
		t.Fatalf("no cases in %s", dir)
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			tmp := t.TempDir()
			args, err := c.Materialize(tmp)
			if err != nil {
				t.Fatal(err)
			}
			code, out := run(args)
			if code != c.Exit {
				t.Errorf("%s: exit %d, want %d\n%s", c.Path, code, c.Exit, out)
			}
			for _, w := range c.Want {
				if w = strings.ReplaceAll(w, "$DIR", tmp); !strings.Contains(out, w) {
					t.Errorf("%s: output lacks %q\n%s", c.Path, w, out)
				}
			}
			for _, r := range c.Reject {
				if r = strings.ReplaceAll(r, "$DIR", tmp); strings.Contains(out, r) {
					t.Errorf("%s: output contains %q\n%s", c.Path, r, out)
				}
			}
			for _, l := range c.Lacks {
				data, err := os.ReadFile(filepath.Join(tmp, l[0]))
				if err == nil && bytes.Contains(data, []byte(l[1])) {
					t.Errorf("%s: %s still holds %q after the run", c.Path, l[0], l[1])
				}
			}
		})
	}
	return cases
}

// RunMain is Run for a command's run function (args, stdout, stderr →
// exit status), with stdout and stderr read together.
func RunMain(t *testing.T, dir string, main func(args []string, stdout, stderr io.Writer) int) []*Case {
	t.Helper()
	return Run(t, dir, func(args []string) (int, string) {
		var out bytes.Buffer
		code := main(args, &out, &out)
		return code, out.String()
	})
}
