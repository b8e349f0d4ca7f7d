// The leads list's column picker: show or hide each column and move the shown ones earlier or
// later, all with native checkboxes and buttons (keyboard: Tab, Space, Enter). The choice is in
// the address, so it is saved with a view and kept by a link.
import { useEffect, useState } from 'preact/hooks';
import { COLUMNS, COLUMN_LABELS, DEFAULT_COLUMNS, columnsValue, moveColumn, toggleColumn, type Column } from '../columns';

export function ColumnPicker({ columns, onChange, status }: { columns: Column[]; onChange: (cols: Column[], said: string) => void; status: string }) {
  // After a move, focus stays on the button that was pressed (or on its twin at either end).
  const [focus, setFocus] = useState<{ col: Column; dir: 'up' | 'down' } | null>(null);
  // The panel is rendered only while open: its controls are not in the page otherwise.
  const [open, setOpen] = useState(false);
  useEffect(() => {
    if (!focus) return;
    const el = document.getElementById(`col-${focus.col}-${focus.dir}`) as HTMLButtonElement | null;
    const other = document.getElementById(`col-${focus.col}-${focus.dir === 'up' ? 'down' : 'up'}`) as HTMLButtonElement | null;
    (el && !el.disabled ? el : other)?.focus();
    setFocus(null);
  }, [focus, columns.join(',')]);

  const hidden = COLUMNS.filter((c) => !columns.includes(c));
  const move = (c: Column, by: -1 | 1) => {
    const next = moveColumn(columns, c, by);
    const at = next.indexOf(c) + 1;
    onChange(next, `${COLUMN_LABELS[c]} is now column ${at} of ${next.length}.`);
    setFocus({ col: c, dir: by < 0 ? 'up' : 'down' });
  };
  const toggle = (c: Column, on: boolean) => onChange(toggleColumn(columns, c, on), `${COLUMN_LABELS[c]} ${on ? 'shown' : 'hidden'}.`);
  const isDefault = columnsValue(columns) === '';

  return (
    <details class="column-picker" open={open} onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}>
      <summary>
        Columns <span class="muted small">({columns.length} of {COLUMNS.length})</span>
      </summary>
      {open && (
        <div class="column-panel">
          <p class="muted small" id="columns-help">
            Tick the columns to show and order them with the arrows. A saved view keeps them.
          </p>
          <ol class="column-list" aria-describedby="columns-help">
            {[...columns, ...hidden].map((c) => {
              const shown = columns.includes(c);
              const i = columns.indexOf(c);
              return (
                <li key={c} class={shown ? 'shown' : 'hidden-col'} data-col={c}>
                  <label class="column-check">
                    <input type="checkbox" checked={shown} disabled={c === 'name'} onChange={(e) => toggle(c, e.currentTarget.checked)} />
                    {COLUMN_LABELS[c]}
                    {c === 'name' && <span class="muted small"> (always shown)</span>}
                  </label>
                  {shown && (
                    <span class="column-moves">
                      <button type="button" class="secondary small icon" id={`col-${c}-up`} aria-label={`Move ${COLUMN_LABELS[c]} earlier`} disabled={i === 0} onClick={() => move(c, -1)}>
                        ↑
                      </button>
                      <button type="button" class="secondary small icon" id={`col-${c}-down`} aria-label={`Move ${COLUMN_LABELS[c]} later`} disabled={i === columns.length - 1} onClick={() => move(c, 1)}>
                        ↓
                      </button>
                    </span>
                  )}
                </li>
              );
            })}
          </ol>
          <button type="button" class="secondary small" disabled={isDefault} onClick={() => onChange([...DEFAULT_COLUMNS], 'The default columns are shown.')}>
            Default columns
          </button>
          <p class="muted small" aria-live="polite">
            {status}
          </p>
        </div>
      )}
    </details>
  );
}
