import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Role, User } from './types';

export interface SessionState {
  user: User;
  signOut: () => void;
}

export const SessionContext = createContext<SessionState | null>(null);

export function useSession(): SessionState {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a signed-in page');
  return s;
}

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Admin',
  manager: 'Manager',
  marketing: 'Marketing',
  sales: 'Sales rep',
};
