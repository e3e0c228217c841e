-- The roster carries the category a minutes book counts by (issue 15), including 'attached': a
-- member of another organisation (often outside this province's Chibo) attending this cell
-- temporarily ("sinh hoạt tạm thời"). SQLite cannot widen a CHECK in place, so the column is
-- renamed, re-added with the wider CHECK, copied and the old one dropped; the members table
-- itself (referenced by many others) is never rebuilt. NULL still follows `status`.
ALTER TABLE members RENAME COLUMN category TO category_0012;
ALTER TABLE members ADD COLUMN category TEXT
    CHECK (category IS NULL OR category IN ('full', 'probationary', 'exempt', 'attached'));
UPDATE members SET category = category_0012 WHERE category_0012 IS NOT NULL;
ALTER TABLE members DROP COLUMN category_0012;
