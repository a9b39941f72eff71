// Where a dialog's focus starts: its first control, not its close button.

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
