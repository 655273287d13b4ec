// Public surface of the aggregation mechanisms; the library's entry point re-exports it.
export {};
