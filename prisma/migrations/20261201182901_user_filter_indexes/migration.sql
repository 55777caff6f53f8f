-- The user list's filters (docs/user-filters.md). Case-insensitive comparisons are written as
-- lower(column) = lower(value) (eq) and lower(column) LIKE lower(escaped prefix) || '%' (sw);
-- text_pattern_ops lets a btree serve both, whatever the database's collation. Prisma's schema cannot
-- describe an index on an expression, so these are written by hand and the drift check ignores them.
-- "username" compares its stored lower-cased copy: lower() of it is the copy itself, and makes the
-- condition the expression this index is on.
CREATE INDEX "User_environmentId_lower_usernameLower_idx" ON "User"("environmentId", lower("usernameLower") text_pattern_ops);
CREATE INDEX "User_environmentId_lower_email_idx" ON "User"("environmentId", lower("email") text_pattern_ops);
CREATE INDEX "User_environmentId_lower_nameFamily_idx" ON "User"("environmentId", lower("nameFamily") text_pattern_ops);
