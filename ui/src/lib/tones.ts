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
