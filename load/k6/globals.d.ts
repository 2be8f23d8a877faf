/** k6 provides `console` (written to its log output); @types/k6 does not declare it and k6 has no DOM lib. */
declare const console: {
  log(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
};
