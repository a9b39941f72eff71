-- `export all` writes every record: its log row names no ids (millions at national
-- scale) but the number of records of each entity, as a JSON object
-- ({"person": 200000, ...}); NULL for the other kinds, which list their ids in record_ids.
ALTER TABLE export_log ADD COLUMN entity_counts TEXT;
