-- The people list sorts by e-mail with empty addresses last in both directions:
-- `email IS NULL, email COLLATE NOCASE ASC|DESC, id ASC|DESC`. One index per direction
-- (the first term stays ascending while the others flip, so one index cannot be read
-- backwards for both), so that a page is an index range instead of a sort of the whole
-- table (~0.9 s at 200,000 people).
CREATE INDEX person_email_sort ON person (email IS NULL, email COLLATE NOCASE, id);
CREATE INDEX person_email_sort_desc ON person (email IS NULL, email COLLATE NOCASE DESC, id DESC);
