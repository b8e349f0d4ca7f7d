import { useState } from 'preact/hooks';
import { ApiError, describeError, request } from '../api';
import { useTitle } from '../hooks';
import type { Session, User } from '../types';

export function SignIn({ expired, onSignedIn }: { expired: boolean; onSignedIn: (user: User, csrf: string | null) => void }) {
  useTitle('Sign in');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!email.trim() || !password) {
      setError('Enter your email and your password.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const s = await request<Session>('POST', '/api/v1/auth/login', {
        body: { email: email.trim(), password, session: 'cookie' },
        expectUnauthenticated: true,
      });
      onSignedIn(s.user, s.csrf_token);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) setError('That email and password do not match an account.');
      else setError(describeError(err));
      setBusy(false);
    }
  };

  return (
    <main class="signin">
      <form class="card signin-card" onSubmit={submit} aria-labelledby="signin-title" noValidate>
        <p class="brand big">Tandem</p>
        <h1 id="signin-title">Sign in</h1>
        {expired && !error && (
          <p class="note info" role="status">
            Your session ended. Sign in again to continue.
          </p>
        )}
        {error && (
          <p class="note error" role="alert" id="signin-error">
            {error}
          </p>
        )}
        <label for="email">Email</label>
        <input
          id="email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onInput={(e) => setEmail(e.currentTarget.value)}
          aria-describedby={error ? 'signin-error' : undefined}
          autoFocus
        />
        <label for="password">Password</label>
        <input
          id="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
