// Package interleavetest creates throwaway git repositories holding a tiny
// Go benchmark package, for testing tools that compare revisions, in the
// spirit of net/http/httptest.
//
// The repository has two commits: HEAD~1 with only go.mod, and HEAD with
// the package ./bench at revision "old"; the working tree holds revision
// "new", uncommitted. Its BenchmarkWork does a configurable amount of
// arithmetic per iteration, so a test can make the new revision slower.
// Its TestMain understands two flags: -order FILE appends the revision
// that ran to FILE, and -label VALUE prints "label: VALUE" as a benchfmt
// configuration line, or fails the run when VALUE is "fail".
package interleavetest
