-- "Recently deleted" lists the newest deletes: at national scale history holds millions
-- of rows and few deletes, so they get a partial index of their own instead of a scan.
CREATE INDEX history_deletes ON history (seq) WHERE op = 'delete' AND field IS NULL;
