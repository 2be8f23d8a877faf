/**
 * The users the script acts as, read from a users file or from its parts in order (`--emit-k8s` splits
 * the file over several Secrets; see load/k8s/emit.ts `splitUsers`). `read` is k6's `open()` in the
 * script and a stand-in in Node tests.
 */

export interface User {
  id: number;
  token: string;
}

export function usersOf(
  files: readonly string[],
  family: 'viewers' | 'creators',
  read: (file: string) => string,
): User[] {
  const out: User[] = [];
  for (const file of files) {
    const parsed = JSON.parse(read(file)) as Record<string, unknown>;
    const list = parsed[family];
    if (!Array.isArray(list)) throw new Error(`giftlab: ${file} has no ${family} list`);
    list.forEach((u: { id?: unknown; token?: unknown }, i: number) => {
      if (typeof u?.id !== 'number' || typeof u.token !== 'string') {
        throw new Error(`giftlab: ${file} ${family}[${i}] is not { id, token }`);
      }
      out.push({ id: u.id, token: u.token });
    });
  }
  return out;
}
