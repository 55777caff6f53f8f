#!/bin/sh
# Stand-in for Prisma's native schema engine, which the Prisma CLI tries to download from
# Prisma's servers. `prisma generate` never runs it; migrations are applied by the service itself
# (src/database/migrator.ts) and computed with the WebAssembly engine (scripts/migration-diff.mjs).
echo "The native Prisma schema engine is not used by this project. Use 'npm run db:migrate' to apply migrations and 'npm run db:diff' to write a new one." >&2
exit 1
