/** Types of bundle-cache.mjs (plain JavaScript: bin/ loads it before any TypeScript loader exists). */
export declare const ROOT: string;
export declare function cachedBundle(what: {
  name: string;
  entry: string;
  options?: Record<string, unknown>;
}): Promise<URL>;
