//go:build !(linux && cgo)

package harness

func mallocTrim() {}
