/** Local OS users, for children started as another user (PostgreSQL runs as `postgres` under root). */
import { readFileSync } from 'node:fs';

/**
 * `{uid, gid}` of a local user, from /etc/passwd.
 * @throws Error `no such user: <user>` if the user does not exist.
 */
export function userIds(user: string): { uid: number; gid: number } {
  for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
    const f = line.split(':');
    if (f[0] === user) return { uid: Number(f[2]), gid: Number(f[3]) };
  }
  throw new Error(`no such user: ${user}`);
}
