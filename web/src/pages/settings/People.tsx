// Users (admins: list, create, role, deactivate) and teams (admins and managers: create, rename,
// change manager, function and region, delete; admins also move people in and out).
import { useEffect, useRef, useState } from 'preact/hooks';
import { describeError, get, post, request } from '../../api';
import { Empty, ErrorNote, Loading } from '../../components/ui';
import { useLoad } from '../../hooks';
import { ROLE_LABELS, useSession } from '../../session';
import type { Page, Role, User } from '../../types';
import { forgetUsers } from '../../users';
import { Section, Outcome } from './common';

interface Team {
  id: number;
  name: string;
  function: string;
  manager_id: number | null;
  region: string;
}

const ROLES: Role[] = ['admin', 'manager', 'marketing', 'sales'];

async function allUsers(signal: AbortSignal): Promise<User[]> {
  const out: User[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<User> = await get<Page<User>>('/api/v1/users?limit=500' + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''), signal);
    out.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

const loadTeams = (signal: AbortSignal) => get<{ items: Team[] }>('/api/v1/teams', signal).then((r) => r.items);

export function Users() {
  const { user: me } = useSession();
  const users = useLoad(allUsers, []);
  const teams = useLoad(loadTeams, []);
  const [draft, setDraft] = useState({ email: '', name: '', role: 'sales' as Role, team_id: '', password: '' });
  const [error, setError] = useState('');
  const [status, setStatus] = useState('');
  const create = async (e: Event) => {
    e.preventDefault();
    setError('');
    if (!draft.email.trim() || !draft.name.trim()) return setError('Give the person an email and a name.');
    try {
      const body: Record<string, unknown> = { email: draft.email.trim(), name: draft.name.trim(), role: draft.role };
      if (draft.team_id) body.team_id = Number(draft.team_id);
      if (draft.password) body.password = draft.password;
      const u = await post<User>('/api/v1/users', body);
      setStatus(`Added ${u.name}${draft.password ? '' : '; they sign in once a password is set'}.`);
      setDraft({ email: '', name: '', role: 'sales', team_id: '', password: '' });
      forgetUsers();
      users.reload();
    } catch (err) {
      setError(describeError(err));
    }
  };
  const patch = async (u: User, body: Record<string, unknown>, said: string) => {
    setError('');
    try {
      await request('PATCH', `/api/v1/users/${u.id}`, { body });
      setStatus(said);
      forgetUsers();
      users.reload();
    } catch (err) {
      setError(describeError(err));
    }
  };
  const teamName = (id: number | null) => teams.data?.find((t) => t.id === id)?.name ?? '';
  return (
    <>
      <Section title="Add a person" id="new-user">
        <form class="settings-form" onSubmit={create}>
          <div class="field">
            <label for="user-email">Email</label>
            <input id="user-email" type="email" value={draft.email} onInput={(e) => setDraft({ ...draft, email: e.currentTarget.value })} />
          </div>
          <div class="field">
            <label for="user-name">Name</label>
            <input id="user-name" value={draft.name} onInput={(e) => setDraft({ ...draft, name: e.currentTarget.value })} />
          </div>
          <div class="field">
            <label for="user-role">Role</label>
            <select id="user-role" value={draft.role} onChange={(e) => setDraft({ ...draft, role: e.currentTarget.value as Role })}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {ROLE_LABELS[r]}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="user-team">Team</label>
            <select id="user-team" value={draft.team_id} onChange={(e) => setDraft({ ...draft, team_id: e.currentTarget.value })}>
              <option value="">No team</option>
              {(teams.data ?? []).map((t) => (
                <option key={t.id} value={String(t.id)}>
                  {t.name}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="user-password">First password (optional)</label>
            <input id="user-password" type="password" autoComplete="new-password" value={draft.password} onInput={(e) => setDraft({ ...draft, password: e.currentTarget.value })} />
          </div>
          <button type="submit">Add person</button>
        </form>
        <Outcome error={error} status={status} />
      </Section>
      <Section title="People" id="people">
        {users.error ? (
          <ErrorNote error={users.error} retry={users.reload} />
        ) : !users.data ? (
          <Loading />
        ) : (
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col" class="hide-sm">
                    Team
                  </th>
                  <th scope="col">Role</th>
                  <th scope="col">Access</th>
                </tr>
              </thead>
              <tbody>
                {users.data.map((u) => (
                  <tr key={u.id} class={u.active ? undefined : 'inactive'}>
                    <td>
                      {u.name}
                      <div class="muted small ellipsis">{u.email}</div>
                    </td>
                    <td class="hide-sm">{teamName(u.team_id)}</td>
                    <td>
                      <select aria-label={`Role of ${u.name}`} value={u.role} disabled={u.id === me.id} onChange={(e) => patch(u, { role: e.currentTarget.value }, `${u.name} is now ${ROLE_LABELS[e.currentTarget.value as Role]}.`)}>
                        {ROLES.map((r) => (
                          <option key={r} value={r}>
                            {ROLE_LABELS[r]}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td>
                      {u.id === me.id ? (
                        <span class="muted">You</span>
                      ) : u.active ? (
                        <button type="button" class="secondary small" onClick={() => patch(u, { active: false }, `${u.name} is deactivated; their sessions ended.`)}>
                          Deactivate
                        </button>
                      ) : (
                        <button type="button" class="secondary small" onClick={() => patch(u, { active: true }, `${u.name} is active again.`)}>
                          Reactivate
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
    </>
  );
}

// One team's name, manager, function and region (admins and managers), and its members: admins
// add and remove people (a person's team is part of their user record, which admins manage).
function TeamEditor({ team, teams, users, onSaved, onMembers, onClose }: { team: Team; teams: Team[]; users: User[]; onSaved: () => void; onMembers: () => void; onClose: () => void }) {
  const { user: me } = useSession();
  const [draft, setDraft] = useState({ name: team.name, function: team.function, manager_id: team.manager_id === null ? '' : String(team.manager_id), region: team.region });
  const [adding, setAdding] = useState('');
  const [said, setSaid] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const canMove = me.role === 'admin';
  const managers = users.filter((u) => (u.active && (u.role === 'manager' || u.role === 'admin')) || u.id === team.manager_id);
  const members = users.filter((u) => u.team_id === team.id);
  const others = users.filter((u) => u.active && u.team_id !== team.id);
  const teamOf = (u: User) => (u.team_id === null ? 'no team' : `in ${teams.find((t) => t.id === u.team_id)?.name ?? 'another team'}`);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  const save = async (e: Event) => {
    e.preventDefault();
    setError('');
    setSaid('');
    if (!draft.name.trim()) return setError('Give the team a name.');
    setBusy(true);
    try {
      const saved = await request<Team>('PATCH', `/api/v1/teams/${team.id}`, {
        body: { name: draft.name.trim(), function: draft.function, manager_id: draft.manager_id ? Number(draft.manager_id) : null, region: draft.region.trim() },
      });
      setSaid(`Saved the team ${saved.name}.`);
      onSaved();
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };
  const move = async (u: User, teamId: number | null, said: string) => {
    setError('');
    try {
      await request('PATCH', `/api/v1/users/${u.id}`, { body: { team_id: teamId } });
      forgetUsers();
      setAdding('');
      setSaid(said);
      onMembers();
    } catch (err) {
      setError(describeError(err));
    }
  };
  const id = `team-${team.id}`;
  return (
    <Section title={`Team: ${team.name}`} id={`${id}-title`}>
      <form class="settings-form" onSubmit={save}>
        <div class="field">
          <label for={`${id}-name`}>Name of the team</label>
          <input id={`${id}-name`} ref={first} value={draft.name} onInput={(e) => setDraft({ ...draft, name: e.currentTarget.value })} />
        </div>
        <div class="field">
          <label for={`${id}-function`}>Its function</label>
          <select id={`${id}-function`} value={draft.function} onChange={(e) => setDraft({ ...draft, function: e.currentTarget.value })}>
            <option value="sales">Sales</option>
            <option value="marketing">Marketing</option>
            <option value="revenue">Revenue</option>
          </select>
        </div>
        <div class="field">
          <label for={`${id}-manager`}>Its manager</label>
          <select id={`${id}-manager`} value={draft.manager_id} onChange={(e) => setDraft({ ...draft, manager_id: e.currentTarget.value })}>
            <option value="">No manager</option>
            {managers.map((u) => (
              <option key={u.id} value={String(u.id)}>
                {u.name}
                {u.active ? '' : ' (inactive)'}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for={`${id}-region`}>Its region</label>
          <input id={`${id}-region`} value={draft.region} onInput={(e) => setDraft({ ...draft, region: e.currentTarget.value })} />
        </div>
        <div class="button-row">
          <button type="submit" disabled={busy}>
            Save team
          </button>
          <button type="button" class="secondary" onClick={onClose}>
            Close
          </button>
        </div>
      </form>
      <p class="muted small">The manager of a marketing or sales team signs personas and the SLA contract off as head of that function.</p>
      <h3 class="small-heading">Members ({members.length})</h3>
      {members.length === 0 ? (
        <p class="muted">Nobody is in this team yet.</p>
      ) : (
        <ul class="plain member-list">
          {members.map((u) => (
            <li key={u.id}>
              <span>
                {u.name} <span class="muted small">{ROLE_LABELS[u.role]}{u.active ? '' : ', inactive'}</span>
              </span>
              {canMove && (
                <button type="button" class="secondary small" aria-label={`Remove ${u.name} from ${team.name}`} onClick={() => move(u, null, `${u.name} left ${team.name}.`)}>
                  Remove
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {canMove ? (
        <div class="settings-form add-member">
          <div class="field grow">
            <label for={`${id}-add`}>Add a person to {team.name}</label>
            <select id={`${id}-add`} value={adding} onChange={(e) => setAdding(e.currentTarget.value)}>
              <option value="">Choose a person</option>
              {others.map((u) => (
                <option key={u.id} value={String(u.id)}>
                  {u.name} ({teamOf(u)})
                </option>
              ))}
            </select>
          </div>
          <button
            type="button"
            disabled={!adding}
            onClick={() => {
              const u = others.find((x) => String(x.id) === adding);
              if (u) move(u, team.id, `${u.name} joined ${team.name}.`);
            }}
          >
            Add to team
          </button>
        </div>
      ) : (
        <p class="muted small">Admins move people between teams.</p>
      )}
      {error && (
        <p class="note error" role="alert">
          {error}
        </p>
      )}
      <p class="muted small" aria-live="polite">
        {said}
      </p>
    </Section>
  );
}

export function Teams() {
  const teams = useLoad(loadTeams, []);
  const users = useLoad(allUsers, []);
  const [draft, setDraft] = useState({ name: '', function: 'sales', manager_id: '', region: '' });
  const [error, setError] = useState('');
  const [status, setStatus] = useState('');
  const [editing, setEditing] = useState<number | null>(null);
  const create = async (e: Event) => {
    e.preventDefault();
    setError('');
    if (!draft.name.trim()) return setError('Give the team a name.');
    try {
      const body: Record<string, unknown> = { name: draft.name.trim(), function: draft.function, region: draft.region.trim() };
      if (draft.manager_id) body.manager_id = Number(draft.manager_id);
      const t = await post<Team>('/api/v1/teams', body);
      setStatus(`Created the team ${t.name}.`);
      setDraft({ name: '', function: 'sales', manager_id: '', region: '' });
      teams.reload();
    } catch (err) {
      setError(describeError(err));
    }
  };
  const remove = async (t: Team) => {
    try {
      await request('DELETE', `/api/v1/teams/${t.id}`);
      setStatus(`Deleted the team ${t.name}; its members stay, without a team.`);
      if (editing === t.id) setEditing(null);
      teams.reload();
    } catch (err) {
      setError(describeError(err));
    }
  };
  const managers = (users.data ?? []).filter((u) => u.active && (u.role === 'manager' || u.role === 'admin'));
  const editingTeam = teams.data?.find((t) => t.id === editing);
  const nameOf = (id: number | null) => (id === null ? '' : users.data?.find((u) => u.id === id)?.name ?? `User ${id}`);
  return (
    <>
      <Section title="New team" id="new-team">
        <form class="settings-form" onSubmit={create}>
          <div class="field">
            <label for="team-name">Team name</label>
            <input id="team-name" value={draft.name} onInput={(e) => setDraft({ ...draft, name: e.currentTarget.value })} />
          </div>
          <div class="field">
            <label for="team-function">Function</label>
            <select id="team-function" value={draft.function} onChange={(e) => setDraft({ ...draft, function: e.currentTarget.value })}>
              <option value="sales">Sales</option>
              <option value="marketing">Marketing</option>
              <option value="revenue">Revenue</option>
            </select>
          </div>
          <div class="field">
            <label for="team-manager">Manager</label>
            <select id="team-manager" value={draft.manager_id} onChange={(e) => setDraft({ ...draft, manager_id: e.currentTarget.value })}>
              <option value="">No manager</option>
              {managers.map((u) => (
                <option key={u.id} value={String(u.id)}>
                  {u.name}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="team-region">Region</label>
            <input id="team-region" value={draft.region} placeholder="e.g. EMEA" onInput={(e) => setDraft({ ...draft, region: e.currentTarget.value })} />
          </div>
          <button type="submit">Create team</button>
        </form>
        <Outcome error={error} status={status} />
      </Section>
      <Section title="Teams" id="teams">
        {teams.error ? (
          <ErrorNote error={teams.error} retry={teams.reload} />
        ) : !teams.data ? (
          <Loading />
        ) : teams.data.length === 0 ? (
          <Empty title="No teams yet">
            <p>Teams give reps their manager and their business calendar.</p>
          </Empty>
        ) : (
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">Team</th>
                  <th scope="col">Function</th>
                  <th scope="col" class="hide-sm">
                    Manager
                  </th>
                  <th scope="col" class="hide-sm">
                    Region
                  </th>
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {teams.data.map((t) => (
                  <tr key={t.id}>
                    <td>{t.name}</td>
                    <td>{t.function}</td>
                    <td class="hide-sm">{nameOf(t.manager_id)}</td>
                    <td class="hide-sm">{t.region}</td>
                    <td class="nowrap">
                      <button type="button" class="secondary small" aria-label={`Edit the team ${t.name}`} aria-expanded={editing === t.id ? 'true' : 'false'} onClick={() => setEditing(editing === t.id ? null : t.id)}>
                        Edit
                      </button>{' '}
                      <button type="button" class="secondary small" aria-label={`Delete the team ${t.name}`} onClick={() => remove(t)}>
                        Delete
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
      {editingTeam && users.data && (
        <TeamEditor
          key={editingTeam.id}
          team={editingTeam}
          teams={teams.data ?? []}
          users={users.data}
          onClose={() => setEditing(null)}
          onSaved={teams.reload}
          onMembers={users.reload}
        />
      )}
    </>
  );
}
