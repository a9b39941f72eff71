// Where the keyboard focus goes: a dialog starts on its first control, not its close
// button, and focus taken out of the page with its element is put back in reach.

/**
 * The first enabled control under `root`; for a group of radio buttons, the one that is
 * chosen (where Tab would land in the group).
 */
export function firstControl(root: HTMLElement | undefined): HTMLElement | null {
  const first = root?.querySelector<HTMLElement>(
    'input:not([type="hidden"]):not(:disabled), select:not(:disabled), textarea:not(:disabled), button:not(:disabled)',
  );
  if (first instanceof HTMLInputElement && first.type === 'radio' && first.name && !first.checked) {
    const chosen = root?.querySelector<HTMLInputElement>(`input[type="radio"][name="${CSS.escape(first.name)}"]:checked:not(:disabled)`);
    if (chosen) return chosen;
  }
  return first ?? null;
}

/**
 * Keeps the keyboard focus in `root` when the element that had it is taken out of the
 * page (a step of a wizard replaced by the next, a list redrawn after a save, a view
 * opened from a search hit): the focus would fall to the document's body, and a
 * keyboard or screen-reader user would start again from the top of the page. It goes
 * to `fallback()` instead (a view's heading, a dialog's first control). Focus the user
 * moves away on purpose is left alone. Returns the function that stops it.
 */
export function keepFocus(root: HTMLElement, fallback: () => HTMLElement | null): () => void {
  let last: Element | null = null;
  const onfocusin = (e: FocusEvent) => {
    last = e.target instanceof Element ? e.target : null;
  };
  const observer = new MutationObserver(() => {
    const active = document.activeElement;
    const lost = !active || active === document.body;
    if (!lost || !last || last.isConnected) return;
    // Not while a dialog other than `root` (or one holding it) is open: a modal dialog
    // keeps its own focus, and the page behind it is inert.
    const open = [...document.querySelectorAll('dialog[open]')].at(-1);
    if (open && !open.contains(root)) return;
    // A view still loading has no heading yet: the next change of the page tries again.
    const target = fallback();
    if (!target) return;
    last = null;
    if (!target.hasAttribute('tabindex') && !target.matches('a, button, input, select, textarea')) {
      target.tabIndex = -1;
    }
    target.focus({ preventScroll: true });
  });
  root.addEventListener('focusin', onfocusin);
  observer.observe(root, { childList: true, subtree: true });
  return () => {
    observer.disconnect();
    root.removeEventListener('focusin', onfocusin);
  };
}
