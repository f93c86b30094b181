// Package workflowlint checks GitHub Actions workflows with actionlint's
// Go API (github.com/rhysd/actionlint), so "go test ./..." covers
// .github/workflows: syntax, expressions and their types, job
// dependencies, runner labels (self-hosted labels are declared in
// .github/actionlint.yaml) and action inputs. The shellcheck and pyflakes
// integrations are off: they need external programs.
package workflowlint
