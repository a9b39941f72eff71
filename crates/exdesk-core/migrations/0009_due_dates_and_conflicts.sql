-- The dashboard shows the soonest deadlines and how many there are: at national scale
-- tens of thousands (mostly overdue checklist items), which were found by scanning the
-- placements, checklist items, tranches and reports whole. Each kind gets a partial
-- index of the rows that can still be due, so that the soonest are the first entries of
-- an index and a count reads only the open rows. SQLite uses a partial index only when
-- the query repeats its WHERE terms: deadlines.rs writes them word for word, and a test
-- checks the plans. The columns a query reads besides the key (an end date, a status)
-- are in the index, so it never reads the table row of a deadline it only counts.

-- Visas of open placements, by expiry date.
CREATE INDEX placement_visa_due ON placement (visa_expires, id, end_date, status)
    WHERE visa_expires IS NOT NULL AND status NOT IN ('completed', 'withdrawn', 'declined');
-- Open placements: counting their checklist items walks these, not all placements.
CREATE INDEX placement_open ON placement (id, status)
    WHERE status NOT IN ('completed', 'withdrawn', 'declined');
-- Checklist items not verified yet: by due date (the soonest), and by placement (the count).
CREATE INDEX checklist_item_due ON checklist_item (due_date, placement_id, position)
    WHERE status <> 'verified' AND due_date IS NOT NULL;
CREATE INDEX checklist_item_open ON checklist_item (placement_id, due_date, status)
    WHERE status <> 'verified' AND due_date IS NOT NULL;
-- Tranches not paid and reports not submitted, by due date.
CREATE INDEX tranche_due ON tranche (due_date, fellowship_id, position)
    WHERE status <> 'paid';
CREATE INDEX report_due ON report (due_date, fellowship_id, position)
    WHERE submitted_on IS NULL AND due_date IS NOT NULL;
-- Cohorts by start date.
CREATE INDEX cohort_start ON cohort (start_date, id) WHERE start_date IS NOT NULL;

-- The sync conflict list is read a page at a time, open entries first, newest first
-- (`resolved_at IS NOT NULL, detected_at DESC, id`): one index serves that order, the
-- open entries alone (the first value of the key) and their count.
CREATE INDEX conflict_order ON conflict (resolved_at IS NOT NULL, detected_at DESC, id);
