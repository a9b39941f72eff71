// Which colour family a status shows in. The text label always goes with it.

export type Tone = 'neutral' | 'info' | 'good' | 'warn' | 'bad';

const TONES: Record<string, Record<string, Tone>> = {
  status: {
    nominated: 'neutral',
    applied: 'neutral',
    accepted: 'info',
    confirmed: 'info',
    active: 'good',
    completed: 'good',
    withdrawn: 'bad',
    declined: 'bad',
  },
  screening: {
    not_required: 'neutral',
    pending: 'warn',
    cleared: 'good',
    flagged: 'bad',
  },
};

export function toneOf(group: string, value: string): Tone {
  return TONES[group]?.[value] ?? 'neutral';
}

/**
 * Values drawn solid (the family's colour as the fill, not its tint): a step that
 * commits more than its neighbour of the same family. Accepted and confirmed are both
 * the info family (on the way, not yet there); confirmed, the person's own yes, is the
 * solid one, so the two differ at a glance and not only by their text.
 */
const SOLID: Record<string, ReadonlySet<string>> = {
  status: new Set(['confirmed']),
};

/** The classes of a status badge: its tone, and `solid` for the values drawn filled. */
export function badgeClass(group: string, value: string): string {
  const tone = `tone-${toneOf(group, value)}`;
  return SOLID[group]?.has(value) ? `${tone} solid` : tone;
}

/** Placement statuses in lifecycle order, for breakdowns. */
export const STATUS_ORDER = [
  'nominated',
  'applied',
  'accepted',
  'confirmed',
  'active',
  'completed',
  'withdrawn',
  'declined',
];

/** Statuses that no longer hold a place in a cohort. */
export const RELEASED_STATUSES = new Set(['withdrawn', 'declined']);

/** Program kinds in the order of domain.md. */
export const KIND_ORDER = ['joint_training', 'academic_exchange', 'fellowship', 'collaborative_project'];
