// How each form saves: an add, or an update that sends only what changed. Core checks
// every write; a refusal comes back as an IpcError whose problems name their fields.

import type { Entity } from '../bindings/Entity';
import type { IpcError } from '../bindings/IpcError';
import type { Problem } from '../bindings/Problem';
import { api } from './api';
import { isIpcError } from './errors';
import { diffRecord, toForm, toRecord, type FieldSpec, type FormValues, type RecordValue } from './forms';

export interface SaveFlags {
  overCapacity: boolean;
  reopen: boolean;
}

export type Saver = (values: FormValues, flags: SaveFlags) => Promise<RecordValue>;

/** Adds a new record from the form. */
export function adder(entity: Entity, fields: FieldSpec[]): Saver {
  return (values, flags) => api.addRecord(entity, toRecord(fields, values), flags.overCapacity);
}

/** Updates `record` with the fields the form changed. */
export function updater(entity: Entity, fields: FieldSpec[], record: RecordValue): Saver {
  const base = toRecord(fields, toForm(fields, record));
  return (values, flags) =>
    api.updateRecord(entity, String(record.id), diffRecord(base, toRecord(fields, values)), flags);
}

/** The entities with redacted fields, which a partner laptop may hold as partner copies. */
const MAY_BE_PARTNER_COPY: readonly Entity[] = ['person', 'placement'];

/**
 * The fields of a record that this laptop holds without (a partner copy's redacted fields:
 * the coordinator keeps them) and its form shows as not editable. Core refuses a write
 * that sets one anyway; a failed question is answered with none.
 */
export async function partnerCopyFields(entity: Entity, id: string): Promise<string[]> {
  if (!MAY_BE_PARTNER_COPY.includes(entity) || !id) return [];
  try {
    return await api.partnerCopyFields(entity, id);
  } catch {
    return [];
  }
}

/** Asks core which problems a save would meet, without saving (validate-as-you-type). */
export type Validator = (values: FormValues, flags: SaveFlags) => Promise<Problem[]>;

/**
 * Core's check of what the form holds: a new record whole, an edit as the patch a save
 * would send (nothing changed: nothing to check).
 */
export function validator(entity: Entity, fields: FieldSpec[], record: RecordValue | null = null): Validator {
  if (!record) {
    return (values, flags) => api.validate(entity, toRecord(fields, values), null, flags);
  }
  const base = toRecord(fields, toForm(fields, record));
  return async (values, flags) => {
    const patch = diffRecord(base, toRecord(fields, values));
    if (!Object.keys(patch).length) return [];
    return api.validate(entity, patch, String(record.id), flags);
  };
}

/**
 * Puts every problem of `e` under `field` (a form field that stands for another record,
 * like the cohort a new person is placed in), after `prefix`.
 */
export function moveProblems(e: unknown, field: string, prefix: string): unknown {
  if (!isIpcError(e)) return e;
  const problems = e.problems.length ? e.problems : [{ field, message: e.message, code: '', params: {} }];
  const moved: IpcError = {
    code: e.code,
    message: `${prefix} ${e.message}`,
    field,
    // With a prefix the sentence is no longer core's message: it shows as written.
    problems: problems.map((p) => ({ field, message: `${prefix} ${p.message}`, code: '', params: {} })),
  };
  return moved;
}

/**
 * A new person, and (when the form names a cohort in `place_cohort_id`) their placement
 * in it. When the person is saved but the placement refused, the next attempt updates
 * that person instead of adding them twice.
 */
export function personAdder(fields: FieldSpec[], notPlaced: (name: string) => string): Saver {
  let created: string | null = null;
  return async (values, flags) => {
    const record = toRecord(fields, values);
    const person = created
      ? await api.updateRecord('person', created, record)
      : await api.addRecord('person', record);
    created = String(person.id);
    const cohort = typeof values.place_cohort_id === 'string' ? values.place_cohort_id : '';
    if (cohort) {
      try {
        await api.addRecord('placement', { person_id: created, cohort_id: cohort }, flags.overCapacity);
      } catch (e) {
        const name = [person.given_name ?? person.given_name_he, person.family_name ?? person.family_name_he]
          .filter(Boolean)
          .join(' ');
        throw moveProblems(e, 'place_cohort_id', notPlaced(name));
      }
    }
    created = null;
    return person;
  };
}
