/**
 * Target-profile templates: `{{name}}` placeholders in paths, header values and JSON bodies. A string
 * that is exactly one placeholder takes the value with its type (a number stays a number); anywhere
 * else the value is written as text. Unknown names are an error in the profile, never sent.
 */

export type Vars = Record<string, string | number | boolean>;

const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9_.]*)\s*\}\}/g;
const WHOLE = /^\{\{\s*([A-Za-z][A-Za-z0-9_.]*)\s*\}\}$/;

export function renderString(template: string, vars: Vars): string {
  return template.replace(PLACEHOLDER, (_m, name: string) => String(lookup(vars, name)));
}

/** Renders a path: values are URI-encoded. */
export function renderPath(template: string, vars: Vars): string {
  return template.replace(PLACEHOLDER, (_m, name: string) => encodeURIComponent(String(lookup(vars, name))));
}

export function renderBody(template: unknown, vars: Vars): unknown {
  if (typeof template === 'string') {
    const whole = WHOLE.exec(template);
    return whole === null ? renderString(template, vars) : lookup(vars, whole[1]);
  }
  if (Array.isArray(template)) return template.map((t) => renderBody(t, vars));
  if (typeof template === 'object' && template !== null) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(template))
      out[key] = renderBody((template as Record<string, unknown>)[key], vars);
    return out;
  }
  return template;
}

/**
 * A template compiled once into a function of the values: the hot path renders without a regular
 * expression (k6's JavaScript engine is an interpreter; a request's body is rendered for every write).
 */
export type Compiled = (vars: Vars) => unknown;

export function compileBody(template: unknown): Compiled {
  if (typeof template === 'string') {
    const whole = WHOLE.exec(template);
    if (whole !== null) {
      const name = whole[1];
      return (vars) => lookup(vars, name);
    }
    return compileString(template);
  }
  if (Array.isArray(template)) {
    const items = template.map(compileBody);
    return (vars) => items.map((item) => item(vars));
  }
  if (typeof template === 'object' && template !== null) {
    const keys = Object.keys(template);
    const values = keys.map((k) => compileBody((template as Record<string, unknown>)[k]));
    return (vars) => {
      const out: Record<string, unknown> = {};
      for (let i = 0; i < keys.length; i++) out[keys[i]] = values[i](vars);
      return out;
    };
  }
  return () => template;
}

/** A string template split at its placeholders once; `encode` URI-encodes the values (paths). */
export function compileString(template: string, encode = false): (vars: Vars) => string {
  const texts: string[] = [];
  const names: string[] = [];
  const re = new RegExp(PLACEHOLDER.source, 'g');
  let last = 0;
  for (;;) {
    const m = re.exec(template);
    if (m === null) break;
    texts.push(template.slice(last, m.index));
    names.push(m[1]);
    last = m.index + m[0].length;
  }
  texts.push(template.slice(last));
  if (names.length === 0) return () => template;
  return (vars) => {
    let out = texts[0];
    for (let i = 0; i < names.length; i++) {
      const value = String(lookup(vars, names[i]));
      out += (encode ? encodeURIComponent(value) : value) + texts[i + 1];
    }
    return out;
  };
}

/** Every placeholder name a template uses (for validating a profile). */
export function placeholders(template: unknown): string[] {
  const found: string[] = [];
  const walk = (t: unknown): void => {
    if (typeof t === 'string') {
      for (const m of t.match(PLACEHOLDER) ?? []) found.push(m.replace(/[{}\s]/g, ''));
    } else if (Array.isArray(t)) {
      for (const item of t) walk(item);
    } else if (typeof t === 'object' && t !== null) {
      for (const k of Object.keys(t)) walk((t as Record<string, unknown>)[k]);
    }
  };
  walk(template);
  return found;
}

/** The value at a dotted path (`balance.coins`, `data.0.id`), or undefined. */
export function readPath(value: unknown, path: string | undefined): unknown {
  if (path === undefined || path === '') return undefined;
  let at: unknown = value;
  for (const part of path.split('.')) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return at;
}

function lookup(vars: Vars, name: string): string | number | boolean {
  const value = vars[name];
  if (value === undefined) throw new Error(`target profile: no value for {{${name}}}`);
  return value;
}
