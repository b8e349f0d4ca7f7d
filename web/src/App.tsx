// The application: who is signed in, the shell (navigation for the user's role) and the page
// the address names.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, request, setCsrfToken, setSignedOutHandler } from './api';
import { Empty, ErrorNote, Loading } from './components/ui';
import { PAGES, navFor } from './routes';
import { match, navigate, onLinkClick, useLocation } from './router';
import { ROLE_LABELS, SessionContext, type SessionState } from './session';
import { SignIn } from './pages/SignIn';
import type { Me, User } from './types';
import { forgetUsers } from './users';

const SIGNED_IN_KEY = 'tandem.signed-in';

function hasSignedIn(): boolean {
  try {
    return window.localStorage.getItem(SIGNED_IN_KEY) === '1';
  } catch {
    return true; // storage refused: ask the server
  }
}

function rememberSignIn(yes: boolean): void {
  try {
    if (yes) window.localStorage.setItem(SIGNED_IN_KEY, '1');
    else window.localStorage.removeItem(SIGNED_IN_KEY);
  } catch {
    // storage refused: the server is asked at every load
  }
}

type Boot = { state: 'checking' } | { state: 'signed-out'; expired: boolean } | { state: 'in'; user: User } | { state: 'error'; error: unknown };

export function App() {
  const [boot, setBoot] = useState<Boot>({ state: 'checking' });

  const check = () => {
    // Without a sign-in on record in this browser there is no session to ask about (and no
    // 401 to log in the console); the cookie itself is HttpOnly, so this hint stands in.
    if (!hasSignedIn()) {
      setBoot({ state: 'signed-out', expired: false });
      return;
    }
    setBoot({ state: 'checking' });
    request<Me>('GET', '/api/v1/me', { expectUnauthenticated: true }).then(
      (me) => {
        setCsrfToken(me.csrf_token);
        setBoot({ state: 'in', user: me.user });
      },
      (e: unknown) => {
        if (e instanceof ApiError && e.status === 401) {
          rememberSignIn(false);
          setBoot({ state: 'signed-out', expired: false });
        }
        else setBoot({ state: 'error', error: e });
      },
    );
  };

  useEffect(() => {
    check();
    setSignedOutHandler(() => {
      rememberSignIn(false);
      setCsrfToken(null);
      forgetUsers();
      setBoot({ state: 'signed-out', expired: true });
    });
    return () => setSignedOutHandler(null);
  }, []);

  if (boot.state === 'checking') return <Loading label="Opening Tandem…" />;
  if (boot.state === 'error') {
    return (
      <main class="centered">
        <ErrorNote error={boot.error} retry={check} />
      </main>
    );
  }
  if (boot.state === 'signed-out') {
    return (
      <SignIn
        expired={boot.expired}
        onSignedIn={(user, csrf) => {
          rememberSignIn(true);
          setCsrfToken(csrf);
          setBoot({ state: 'in', user });
        }}
      />
    );
  }
  return (
    <Shell
      user={boot.user}
      onSignedOut={() => {
        rememberSignIn(false);
        setCsrfToken(null);
        forgetUsers();
        setBoot({ state: 'signed-out', expired: false });
      }}
    />
  );
}

function Shell({ user, onSignedOut }: { user: User; onSignedOut: () => void }) {
  const loc = useLocation();
  const nav = navFor(user.role);
  const first = useRef(true);
  const [signingOut, setSigningOut] = useState(false);

  const signOut = () => {
    setSigningOut(true);
    request<void>('POST', '/api/v1/auth/logout', { expectUnauthenticated: true })
      .catch(() => undefined)
      .finally(() => {
        navigate('/', { replace: true });
        onSignedOut();
      });
  };
  const session: SessionState = useMemo(() => ({ user, signOut }), [user]);

  let found: { page: (typeof PAGES)[number]; params: Record<string, string> } | null = null;
  for (const page of PAGES) {
    const params = match(page.path, loc.path);
    if (params) {
      found = { page, params };
      break;
    }
  }

  // After a navigation, move the focus to the new page's heading (not on the first load).
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    window.scrollTo(0, 0);
    const h = document.getElementById('page-title');
    if (h) h.focus({ preventScroll: true });
  }, [loc.path]);

  const active = (path: string) => (path === '/' ? loc.path === '/' : loc.path === path || loc.path.startsWith(path + '/'));

  let content;
  if (!found) {
    content = (
      <Empty title="This page does not exist">
        <p>
          <a href="/">Go to Home</a>
        </p>
      </Empty>
    );
  } else if (!found.page.roles.includes(user.role)) {
    content = (
      <Empty title="This page is not part of your role">
        <p>
          Signed in as {ROLE_LABELS[user.role].toLowerCase()}. <a href="/">Go to Home</a>
        </p>
      </Empty>
    );
  } else {
    const Page = found.page.component;
    content = <Page params={found.params} query={loc.params} key={loc.path} />;
  }

  return (
    <SessionContext.Provider value={session}>
      <div class="shell" onClick={onLinkClick}>
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        <header class="topbar">
          <a class="brand" href="/" aria-label="Tandem home">
            Tandem
          </a>
          <nav aria-label="Main" class="mainnav">
            <ul>
              {nav.map((p) => (
                <li key={p.path}>
                  <a href={p.path} aria-current={active(p.path) ? 'page' : undefined}>
                    {p.nav}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <div class="who">
            <span class="who-name" title={user.email}>
              {user.name}
            </span>
            <span class="badge role">{ROLE_LABELS[user.role]}</span>
            <button type="button" class="secondary small" onClick={signOut} disabled={signingOut}>
              Sign out
            </button>
          </div>
        </header>
        <main id="main" tabIndex={-1}>
          {content}
        </main>
      </div>
    </SessionContext.Provider>
  );
}
