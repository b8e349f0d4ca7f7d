import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Confirm } from './pages/settings/common';

let root: HTMLElement;
afterEach(() => {
  render(null, root);
  root.remove();
});

describe('confirm', () => {
  it('puts the keyboard on the confirming button; Escape cancels, the button confirms', () => {
    root = document.createElement('div');
    document.body.appendChild(root);
    const yes = vi.fn();
    const no = vi.fn();
    act(() => render(<Confirm label="Revoke the key of www?" question="Revoke?" yes="Yes, revoke" onYes={yes} onNo={no} />, root));
    const group = root.querySelector('[role=group]') as HTMLElement;
    expect(group.getAttribute('aria-label')).toBe('Revoke the key of www?');
    expect(document.activeElement?.textContent).toBe('Yes, revoke');
    act(() => {
      group.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    });
    expect(no).toHaveBeenCalledTimes(1);
    expect(yes).not.toHaveBeenCalled();
    act(() => (document.activeElement as HTMLButtonElement).click());
    expect(yes).toHaveBeenCalledTimes(1);
  });
});
