/** The `--target` flag every load-side command takes: an http(s) base URL, checked once, here. */
import { InputError, shown } from '../common/input-error.ts';

/** Parses a target's base URL; the returned URL's path ends in `/` so that relative paths resolve under it. */
export function parseTargetUrl(text: string | undefined, flag = '--target'): URL {
  if (text === undefined || text.trim() === '') {
    throw new InputError({
      field: flag,
      expected: 'the base URL of the API, e.g. http://127.0.0.1:8080',
      found: 'nothing',
    });
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InputError({ field: flag, expected: 'a URL like http://127.0.0.1:8080', found: shown(text) });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError({ field: flag, expected: 'an http:// or https:// URL', found: shown(text) });
  }
  if (!url.pathname.endsWith('/')) url.pathname = `${url.pathname}/`;
  return url;
}
