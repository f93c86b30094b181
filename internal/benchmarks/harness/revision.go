package harness

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
)

// ModulePath is the project's module path.
const ModulePath = "github.com/inferbench/inferbench"

// commit and commitModified may be set at link time, as the Makefile does:
//
//	-ldflags "-X github.com/inferbench/inferbench/benchmarks/harness.commit=$(git rev-parse HEAD)
//	          -X github.com/inferbench/inferbench/benchmarks/harness.commitModified=true|false"
var commit, commitModified string

// Revision returns the project revision this binary was built from, with
// "-dirty" appended when its tree had uncommitted changes to tracked files,
// or "unknown". It never looks at the working directory: a test binary run
// inside another repository must not record that repository's commit. In
// order, it takes
//   - the revision linked in with -ldflags -X (the Makefile sets it);
//   - the VCS stamp of the build info when this module is the main module
//     of a `go build` binary, or this module's version when it is a
//     dependency;
//   - git in the source directory the package was compiled from, when that
//     directory is still this module's checkout (go test binaries).
func Revision() string {
	if commit != "" {
		return withModified(commit, commitModified)
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		if rev := buildInfoRevision(bi); rev != "" {
			return rev
		}
	}
	if _, file, _, ok := runtime.Caller(0); ok {
		if rev := gitRevision(filepath.Join(filepath.Dir(file), "..", "..", "..")); rev != "" {
			return rev
		}
	}
	return "unknown"
}

func withModified(rev, modified string) string {
	if modified == "true" {
		return rev + "-dirty"
	}
	return rev
}

// buildInfoRevision reads the revision from build info: the VCS stamp when
// this module is the main module, its version when it is a dependency.
func buildInfoRevision(bi *debug.BuildInfo) string {
	if bi.Main.Path == ModulePath {
		var rev, modified string
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				modified = s.Value
			}
		}
		if rev != "" {
			return withModified(rev, modified)
		}
		return ""
	}
	for _, d := range bi.Deps {
		if d.Path == ModulePath && d.Version != "" && d.Version != "(devel)" {
			if d.Replace != nil {
				return "" // replaced by a local directory: its source dir says more
			}
			return ModulePath + "@" + d.Version
		}
	}
	return ""
}

// gitRevision asks git about root only if root holds this module's go.mod
// and the repository there tracks it, so that a module copy outside any
// checkout (the module cache) is never attributed to an enclosing
// repository.
func gitRevision(root string) string {
	if !filepath.IsAbs(root) { // -trimpath: no source directory
		return ""
	}
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil || !bytes.HasPrefix(bytes.TrimSpace(mod), []byte("module "+ModulePath)) {
		return ""
	}
	git := func(args ...string) (string, error) {
		out, err := exec.Command("git", append([]string{"-C", root}, args...)...).Output()
		return strings.TrimSpace(string(out)), err
	}
	if _, err := git("ls-files", "--error-unmatch", "go.mod"); err != nil {
		return ""
	}
	rev, err := git("rev-parse", "HEAD")
	if err != nil || rev == "" {
		return ""
	}
	st, err := exec.Command("git", "-C", root, "status", "--porcelain", "--untracked-files=no").Output()
	if err != nil {
		return rev + "-modified-unknown"
	}
	return withModified(rev, map[bool]string{true: "true", false: "false"}[len(bytes.TrimSpace(st)) > 0])
}
