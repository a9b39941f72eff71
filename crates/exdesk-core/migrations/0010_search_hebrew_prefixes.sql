-- The search index learns Hebrew words without their one-letter prefixes (ה ו ב ל מ ש כ):
-- "טכניון" finds "הטכניון". The entries are rewritten by the migration's hook in
-- db.rs (search::rebuild_bodies), which computes each record's words in Rust.
SELECT 1;
