// The people of the company, loaded once per session: owners and actors are shown by name.
import { get } from './api';
import type { Page, User } from './types';

let cache: Promise<Map<number, User>> | null = null;

export function loadUsers(): Promise<Map<number, User>> {
  if (!cache) {
    cache = (async () => {
      const byId = new Map<number, User>();
      let cursor: string | null = null;
      do {
        const path: string = '/api/v1/users?limit=500' + (cursor ? '&cursor=' + encodeURIComponent(cursor) : '');
        const page: Page<User> = await get<Page<User>>(path);
        for (const u of page.items) byId.set(u.id, u);
        cursor = page.next_cursor;
      } while (cursor);
      return byId;
    })();
    cache.catch(() => {
      cache = null;
    });
  }
  return cache;
}

export function forgetUsers(): void {
  cache = null;
}
