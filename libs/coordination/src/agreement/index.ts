// Public surface of the agreement mechanisms; the library's entry point re-exports it.
export * from './outbox';
export * from './saga';
