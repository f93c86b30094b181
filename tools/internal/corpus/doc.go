// Package corpus runs the tools' hostile-input corpus: one text file per
// case (testdata/hostile/*.case) holding the command line, the exit
// status and the words the message must contain, followed by the input
// files, each introduced by a "-- name --" line (the txtar layout). The
// tests of tools/benchgate and tools/report run their cases with Run, so
// "go test ./..." (and "make test") asserts every case.
//
// Why: a tool that reads users' files must say which file, which line and
// what is wrong, and lose nothing. A corpus keeps every case found once,
// hostile or careless, as a regression test with its expected message.
//
// Header lines (before the first file):
//
//	args: ARG...          the command line; $DIR is the case's directory
//	exit: N               the expected exit status
//	want: TEXT            stdout+stderr must contain TEXT ($DIR expanded); repeatable
//	reject: TEXT          stdout+stderr must not contain TEXT; repeatable
//	nonl: NAME            strip the last newline of file NAME (a truncated write)
//	copy: NAME SRC        copy SRC (relative to the .case file) to NAME
//	sub: NAME OLD => NEW  replace the first OLD in file NAME by NEW (\n, \t, \\ escaped)
//	lacks: NAME TEXT      after the run, file NAME is absent or lacks TEXT
//	before: CLASS         how the code before the corpus behaved: clear,
//	                      crash, hang, silent-wrong or data-safety
//
// Lines starting with "#" are comments: what the case is about.
package corpus
