"""storybot's tests (a package, so test modules and conftests of the same name never clash)."""
