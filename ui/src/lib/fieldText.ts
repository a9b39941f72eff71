// Labels, hints and test hooks of form fields (core's messages: see messages.ts).

import type { Entity } from '../bindings/Entity';
import { translate, type Lang } from './i18n';

/** `field.<entity>.<name>` (a row's cell: `field.<entity>.<list>.<name>`). */
export function fieldLabel(lang: Lang, entity: Entity, name: string): string {
  return translate(lang, `field.${entity}.${name}`);
}

/** `hint.<entity>.<name>` when there is one, else ''. */
export function fieldHint(lang: Lang, entity: Entity, name: string): string {
  const key = `hint.${entity}.${name}`;
  const hint = translate(lang, key);
  return hint === key ? '' : hint;
}

/** `tranches[1].amount_minor` → `tranches-1-amount_minor` (for data-testid). */
export function pathTestId(path: string): string {
  return path.replace(/\[(\d+)\]\.?/g, '-$1-').replace(/-$/, '').replace(/\./g, '-');
}

/**
 * An error's sentence for a box of its own (not under its field): without core's
 * "field: " prefix, starting with a capital letter. (The sentence is already in the UI
 * language: see describeError and messages.ts.)
 */
export function readableError(message: string, field: string | undefined, _lang: Lang): string {
  const bare = field && message.startsWith(`${field}: `) ? message.slice(field.length + 2) : message;
  return bare.charAt(0).toUpperCase() + bare.slice(1);
}
