-- A record created on this device gets ONE clock row for all the fields it was created
-- with (field '*', their names as a JSON list in `fields`) instead of a row per field:
-- at national scale the per-field rows were most of the file and of an import's writes.
-- A field changed since has its own row, which wins over the '*' row. Rows received by
-- sync stay one per field (`fields` is NULL on them).
ALTER TABLE field_clock ADD COLUMN fields TEXT;

-- Nothing reads field_clock by (origin, hlc): a package is built by one scan of the
-- table, so the index only cost every write an extra B-tree insert.
DROP INDEX field_clock_hlc;
