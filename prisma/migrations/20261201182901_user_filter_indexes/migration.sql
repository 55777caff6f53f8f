-- The user list's filters (docs/user-filters.md).

-- `population.id eq`: with the environment and the id after the population (which stays first for
-- the foreign key's checks), the page is read in id order and the count from the index alone.
DROP INDEX "User_populationId_idx";
CREATE INDEX "User_populationId_environmentId_id_idx" ON "User"("populationId", "environmentId", "id");

-- `account.status eq "LOCKED"`: with the id last, the page is read in id order instead of scanning the
-- environment in id order for the few locked users.
DROP INDEX "User_environmentId_accountStatus_idx";
CREATE INDEX "User_environmentId_accountStatus_id_idx" ON "User"("environmentId", "accountStatus", "id");

-- Case-insensitive comparisons are written as lower(column) = lower(value) (eq) and
-- lower(column) LIKE lower(escaped prefix) || '%' (sw); text_pattern_ops lets a btree serve both,
-- whatever the database's collation. Prisma's schema cannot describe an index on an expression, so
-- these are written by hand and the drift check ignores them (test/service/user-filter-indexes.spec.ts
-- checks them). "username" compares its stored lower-cased copy: lower() of it is the copy itself,
-- and makes the condition the expression this index is on.
CREATE INDEX "User_environmentId_lower_usernameLower_idx" ON "User"("environmentId", lower("usernameLower") text_pattern_ops);
CREATE INDEX "User_environmentId_lower_email_idx" ON "User"("environmentId", lower("email") text_pattern_ops);
-- A family name is shared by many users: with "id" last, the page of an eq filter is read in id order
-- from the index and stops after limit + 1 rows, whichever plan Postgres keeps for the statement.
CREATE INDEX "User_environmentId_lower_nameFamily_idx" ON "User"("environmentId", lower("nameFamily") text_pattern_ops, "id");
