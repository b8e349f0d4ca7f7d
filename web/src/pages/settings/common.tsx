// Pieces the settings sections share: a copy button, the secret shown once, a status line.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';

// Copies `text`; says so in a live region. Falls back to selecting the text when the browser
// refuses the clipboard (an insecure origin, a denied permission).
export function CopyButton({ text, label, target }: { text: string; label: string; target?: () => HTMLInputElement | HTMLTextAreaElement | null }) {
  const [said, setSaid] = useState('');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setSaid('Copied to the clipboard.');
    } catch {
      const el = target?.();
      if (el) {
        el.focus();
        el.select();
        setSaid('Selected: press Ctrl+C (⌘C on a Mac) to copy.');
      } else {
        setSaid('The browser refused the clipboard; select the text and copy it.');
      }
    }
  };
  return (
    <span class="copy">
      <button type="button" class="secondary small" onClick={copy}>
        {label}
      </button>
      <span class="muted small" aria-live="polite">
        {said}
      </span>
    </span>
  );
}

// A secret the server shows this once only.
export function OnceSecret({ title, secret, children }: { title: string; secret: string; children?: ComponentChildren }) {
  const ref = useRef<HTMLInputElement>(null);
  return (
    <div class="note secret" role="status">
      <p>
        <strong>{title}</strong> It is shown this once only: copy it now.
      </p>
      <div class="secret-row">
        <label class="visually-hidden" for="once-secret">
          {title}
        </label>
        <input id="once-secret" ref={ref} readOnly value={secret} class="mono" onFocus={(e) => e.currentTarget.select()} />
        <CopyButton text={secret} label="Copy secret" target={() => ref.current} />
      </div>
      {children}
    </div>
  );
}

// What a form's last action came to: its error (announced at once) and its status line (read
// out politely), as every settings form shows them.
export function Outcome({ error, status }: { error: string | null | undefined; status: string }) {
  return (
    <>
      {error && (
        <p class="note error" role="alert">
          {error}
        </p>
      )}
      <p class="muted small" aria-live="polite">
        {status}
      </p>
    </>
  );
}

export function Section({ title, id, children }: { title: string; id: string; children: ComponentChildren }) {
  return (
    <section class="card settings-section" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

// "Are you sure?" in place of a button: the question with a confirming and a cancelling button.
// The confirming one takes the focus (so the keyboard lands on it); Escape cancels.
export function Confirm({ label, question, yes, onYes, onNo }: { label: string; question: string; yes: string; onYes: () => void; onNo: () => void }) {
  const ref = useRef<HTMLButtonElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <span class="confirm" role="group" aria-label={label} onKeyDown={(e) => e.key === 'Escape' && onNo()}>
      <span class="small">{question}</span>
      <button type="button" class="danger small" ref={ref} onClick={onYes}>
        {yes}
      </button>
      <button type="button" class="secondary small" onClick={onNo}>
        Keep it
      </button>
    </span>
  );
}
