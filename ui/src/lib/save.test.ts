import { beforeEach, describe, expect, it, vi } from 'vitest';

const { invoke } = vi.hoisted(() => ({ invoke: vi.fn() }));
vi.mock('@tauri-apps/api/core', () => ({ invoke }));

import { partnerCopyFields } from './save';

describe('partnerCopyFields', () => {
  beforeEach(() => {
    invoke.mockReset();
  });

  it('asks core about people and placements, the records a partner laptop may hold as copies', async () => {
    invoke.mockResolvedValue(['screening', 'visa_type', 'visa_expires']);
    expect(await partnerCopyFields('placement', 'p1')).toEqual(['screening', 'visa_type', 'visa_expires']);
    expect(invoke).toHaveBeenCalledWith('partner_copy_fields', { entity: 'placement', id: 'p1' });
  });

  it('does not ask about records without redacted fields', async () => {
    expect(await partnerCopyFields('cohort', 'c1')).toEqual([]);
    expect(await partnerCopyFields('institution', 'i1')).toEqual([]);
    expect(invoke).not.toHaveBeenCalled();
  });

  it('answers none when core cannot say (the save is still checked by core)', async () => {
    invoke.mockRejectedValue({ code: 'internal', message: 'x', problems: [] });
    expect(await partnerCopyFields('person', 'a1')).toEqual([]);
  });
});
