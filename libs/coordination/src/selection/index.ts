// Public surface of the selection mechanisms; the library's entry point re-exports it.
export {};
