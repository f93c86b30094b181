package harness

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

// gitRepo makes a repository in a temporary directory with one commit of
// the given files and returns its directory and HEAD.
func gitRepo(t *testing.T, files map[string]string, track bool) (string, string) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skipf("skipping: no git: %v", err)
	}
	dir := t.TempDir()
	git := func(args ...string) string {
		t.Helper()
		out, err := exec.Command("git", append([]string{"-C", dir, "-c", "user.name=t", "-c", "user.email=t@example.com"}, args...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	git("init", "-q")
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "README"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	git("add", "README")
	if track {
		git("add", ".")
	}
	git("commit", "-q", "-m", "other")
	return dir, git("rev-parse", "HEAD")
}

// TestCommitIgnoresWorkingDirectory: a benchmark binary run inside another
// repository records this project's revision (or unknown), never that
// repository's commit.
func TestCommitIgnoresWorkingDirectory(t *testing.T) {
	dir, other := gitRepo(t, nil, true)
	t.Chdir(dir)
	var got string
	for _, kv := range Machine() {
		if kv[0] == "commit" {
			got = kv[1]
		}
	}
	if got == "" || strings.HasPrefix(got, other) {
		t.Fatalf("commit %q: want this project's revision, not the working directory's %s", got, other)
	}
	_, file, _, _ := runtime.Caller(0)
	want, err := exec.Command("git", "-C", filepath.Dir(file), "rev-parse", "HEAD").Output()
	if err != nil {
		if got != "unknown" {
			t.Errorf("commit %q with no git checkout of the source: want unknown", got)
		}
		return
	}
	if !strings.HasPrefix(got, strings.TrimSpace(string(want))) {
		t.Errorf("commit %q, want the source checkout's %s", got, want)
	}
}

func TestRevisionLinked(t *testing.T) {
	defer func(c, m string) { commit, commitModified = c, m }(commit, commitModified)
	commit, commitModified = "0123abc", "true"
	if got := Revision(); got != "0123abc-dirty" {
		t.Errorf("linked, modified: %q", got)
	}
	commitModified = "false"
	if got := Revision(); got != "0123abc" {
		t.Errorf("linked, clean: %q", got)
	}
}

func TestBuildInfoRevision(t *testing.T) {
	vcs := []debug.BuildSetting{{Key: "vcs.revision", Value: "feed"}, {Key: "vcs.modified", Value: "true"}}
	tests := []struct {
		name string
		bi   debug.BuildInfo
		want string
	}{
		{"main module, stamped", debug.BuildInfo{Main: debug.Module{Path: ModulePath}, Settings: vcs}, "feed-dirty"},
		{"main module, go test (no stamp)", debug.BuildInfo{Main: debug.Module{Path: ModulePath}}, ""},
		{"another main module's stamp", debug.BuildInfo{Main: debug.Module{Path: "example.com/user"}, Settings: vcs}, ""},
		{"dependency", debug.BuildInfo{Main: debug.Module{Path: "example.com/user"}, Settings: vcs,
			Deps: []*debug.Module{{Path: ModulePath, Version: "v0.0.0-20261129000000-0123456789ab"}}}, ModulePath + "@v0.0.0-20261129000000-0123456789ab"},
		{"replaced dependency", debug.BuildInfo{Main: debug.Module{Path: "example.com/user"},
			Deps: []*debug.Module{{Path: ModulePath, Version: "v1.0.0", Replace: &debug.Module{Path: "../inferbench"}}}}, ""},
	}
	for _, tt := range tests {
		if got := buildInfoRevision(&tt.bi); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestGitRevisionOnlyOwnCheckout: a directory that is not this module, or
// a repository that does not track this module's go.mod (a module copy
// inside some other checkout), gives no revision.
func TestGitRevisionOnlyOwnCheckout(t *testing.T) {
	mod := "module " + ModulePath + "\n"
	other, _ := gitRepo(t, map[string]string{"go.mod": "module example.com/other\n"}, true)
	untracked, _ := gitRepo(t, map[string]string{"go.mod": mod}, false)
	own, head := gitRepo(t, map[string]string{"go.mod": mod}, true)
	for _, dir := range []string{other, untracked, "relative/path"} {
		if rev := gitRevision(dir); rev != "" {
			t.Errorf("%s: %q, want none", dir, rev)
		}
	}
	if rev := gitRevision(own); rev != head {
		t.Errorf("own checkout: %q, want %s", rev, head)
	}
	if err := os.WriteFile(filepath.Join(own, "go.mod"), []byte(mod+"// edit\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if rev := gitRevision(own); rev != head+"-dirty" {
		t.Errorf("modified checkout: %q, want %s-dirty", rev, head)
	}
}
