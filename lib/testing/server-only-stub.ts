// Empty stand-in for the `server-only` guard package, used only by vitest: outside a React
// server bundle the real package throws at import.
export {};
