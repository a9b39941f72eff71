-- National scale (hundreds of thousands of placements): the dashboard counts placements
-- by status and by direction in one pass over a covering index instead of reading the
-- whole table; the index still serves lookups by status.
DROP INDEX placement_status;
CREATE INDEX placement_status_direction ON placement (status, direction);
