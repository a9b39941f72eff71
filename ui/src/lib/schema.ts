// The fields each record form shows, in order, with how each is edited. Names are the
// canonical ones of domain.md; the allowed values mirror core's lists (core checks them
// again on every write). A field's label is `field.<entity>.<name>` in i18n.ts.

import type { Entity } from '../bindings/Entity';
import type { FieldSpec } from './forms';

export const SECTORS = ['academia', 'government', 'industry', 'nonprofit'] as const;
export const PROGRAM_KINDS = [
  'joint_training',
  'academic_exchange',
  'fellowship',
  'collaborative_project',
] as const;
export const TECH_AREAS = [
  'ai',
  'advanced_computing',
  'semiconductors',
  'energy',
  'space',
  'robotics',
  'other',
] as const;
export const ROLES = ['participant', 'mentor', 'staff'] as const;
export const STATUSES = [
  'nominated',
  'applied',
  'accepted',
  'confirmed',
  'active',
  'completed',
  'withdrawn',
  'declined',
] as const;
export const SCREENINGS = ['not_required', 'pending', 'cleared', 'flagged'] as const;
export const VISA_TYPES = ['J-1', 'F-1', 'B/1', 'A/2', 'other'] as const;
export const CHECKLIST_KINDS = ['visa', 'insurance', 'agreement_signed', 'screening', 'housing', 'other'] as const;
export const CHECKLIST_STATUSES = ['missing', 'submitted', 'verified'] as const;
export const TRANCHE_STATUSES = ['scheduled', 'paid', 'held'] as const;
/** Currencies offered first; any ISO 4217 code may be typed. */
export const CURRENCIES = ['USD', 'ILS', 'EUR', 'GBP'] as const;

const INSTITUTION: FieldSpec[] = [
  { name: 'name', kind: 'text', required: true },
  { name: 'name_he', kind: 'text', dir: 'rtl' },
  { name: 'country', kind: 'country', required: true, dir: 'ltr' },
  { name: 'sector', kind: 'enum', options: SECTORS, group: 'sector' },
  { name: 'city', kind: 'text' },
  { name: 'website', kind: 'url', dir: 'ltr' },
  { name: 'ror', kind: 'text', dir: 'ltr' },
];

const PERSON: FieldSpec[] = [
  { name: 'given_name', kind: 'text', dir: 'ltr' },
  { name: 'family_name', kind: 'text', dir: 'ltr' },
  { name: 'given_name_he', kind: 'text', dir: 'rtl' },
  { name: 'family_name_he', kind: 'text', dir: 'rtl' },
  { name: 'home_institution_id', kind: 'ref', ref: 'institution' },
  { name: 'email', kind: 'email', dir: 'ltr' },
  { name: 'orcid', kind: 'text', dir: 'ltr' },
  { name: 'phone', kind: 'tel', dir: 'ltr' },
  { name: 'birth_date', kind: 'date', dir: 'ltr' },
  { name: 'citizenships', kind: 'countryList', dir: 'ltr' },
  { name: 'notes', kind: 'textarea' },
];

const PROGRAM: FieldSpec[] = [
  { name: 'name', kind: 'text', required: true },
  { name: 'kind', kind: 'enum', required: true, options: PROGRAM_KINDS, group: 'kind' },
  { name: 'tech_areas', kind: 'enumList', required: true, options: TECH_AREAS, group: 'tech' },
  { name: 'sensitive', kind: 'bool' },
  { name: 'partner_institution_ids', kind: 'refList', ref: 'institution' },
  { name: 'funder', kind: 'text' },
  { name: 'description', kind: 'textarea' },
];

const COHORT: FieldSpec[] = [
  { name: 'program_id', kind: 'ref', ref: 'program', required: true },
  { name: 'name', kind: 'text', required: true },
  { name: 'start_date', kind: 'date', dir: 'ltr' },
  { name: 'end_date', kind: 'date', dir: 'ltr' },
  { name: 'capacity', kind: 'count', dir: 'ltr' },
  { name: 'host_institution_id', kind: 'ref', ref: 'institution' },
  { name: 'location', kind: 'text' },
];

const PLACEMENT: FieldSpec[] = [
  { name: 'person_id', kind: 'ref', ref: 'person', required: true },
  { name: 'cohort_id', kind: 'ref', ref: 'cohort', required: true },
  { name: 'role', kind: 'enum', options: ROLES, group: 'role' },
  { name: 'status', kind: 'enum', options: STATUSES, group: 'status' },
  { name: 'screening', kind: 'enum', options: SCREENINGS, group: 'screening' },
  { name: 'home_institution_id', kind: 'ref', ref: 'institution' },
  { name: 'host_institution_id', kind: 'ref', ref: 'institution' },
  { name: 'start_date', kind: 'date', dir: 'ltr' },
  { name: 'end_date', kind: 'date', dir: 'ltr' },
  { name: 'visa_type', kind: 'enum', options: VISA_TYPES, group: 'visa' },
  { name: 'visa_expires', kind: 'date', dir: 'ltr' },
  {
    name: 'checklist',
    kind: 'children',
    children: [
      { name: 'kind', kind: 'enum', options: CHECKLIST_KINDS, group: 'checklist', required: true },
      { name: 'status', kind: 'enum', options: CHECKLIST_STATUSES, group: 'checkStatus' },
      { name: 'due_date', kind: 'date', dir: 'ltr' },
    ],
  },
  { name: 'notes', kind: 'textarea' },
];

const FELLOWSHIP: FieldSpec[] = [
  { name: 'person_id', kind: 'ref', ref: 'person', required: true },
  { name: 'placement_id', kind: 'ref', ref: 'placement' },
  { name: 'title', kind: 'text', required: true },
  { name: 'currency', kind: 'currency', required: true, dir: 'ltr' },
  { name: 'award_minor', kind: 'money', required: true, currencyField: 'currency', dir: 'ltr' },
  {
    name: 'tranches',
    kind: 'children',
    children: [
      { name: 'due_date', kind: 'date', required: true, dir: 'ltr' },
      { name: 'amount_minor', kind: 'money', required: true, currencyField: 'currency', dir: 'ltr' },
      { name: 'status', kind: 'enum', options: TRANCHE_STATUSES, group: 'tranche' },
      { name: 'paid_on', kind: 'date', dir: 'ltr' },
    ],
  },
  {
    name: 'reports',
    kind: 'children',
    children: [
      { name: 'title', kind: 'text', required: true },
      { name: 'due_date', kind: 'date', dir: 'ltr' },
      { name: 'submitted_on', kind: 'date', dir: 'ltr' },
    ],
  },
];

const AGREEMENT: FieldSpec[] = [
  { name: 'title', kind: 'text', required: true },
  { name: 'institution_ids', kind: 'refList', ref: 'institution', required: true },
  { name: 'valid_from', kind: 'date', dir: 'ltr' },
  { name: 'valid_to', kind: 'date', dir: 'ltr' },
  {
    name: 'quotas',
    kind: 'children',
    children: [
      { name: 'academic_year', kind: 'text', required: true, dir: 'ltr' },
      { name: 'direction', kind: 'text', required: true, dir: 'ltr' },
      { name: 'places', kind: 'count', required: true, dir: 'ltr' },
    ],
  },
];

export const FORMS: Record<Entity, FieldSpec[]> = {
  institution: INSTITUTION,
  person: PERSON,
  program: PROGRAM,
  cohort: COHORT,
  placement: PLACEMENT,
  fellowship: FELLOWSHIP,
  agreement: AGREEMENT,
};

/** What "Save and add another" keeps for the next record of each entity. */
export const KEEP: Record<Entity, readonly string[]> = {
  institution: ['country', 'sector', 'city'],
  person: ['home_institution_id', 'place_cohort_id', 'citizenships'],
  program: ['kind', 'tech_areas', 'sensitive', 'funder'],
  cohort: ['program_id', 'host_institution_id', 'location'],
  placement: ['cohort_id', 'role', 'home_institution_id', 'host_institution_id'],
  fellowship: ['currency'],
  agreement: ['institution_ids'],
};
