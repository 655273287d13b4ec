// Public surface of the suppression mechanisms; the library's entry point re-exports it.
export {};
