# syntax=docker/dockerfile:1

# Node.js 24 LTS, the production runtime, in both stages. The tag follows 24's patch releases
# (security fixes); CI tests the release pinned in .ci/node24-version. To build on one exact
# release instead: docker build --build-arg NODE_IMAGE=node:<version>-bookworm-slim .
ARG NODE_IMAGE=node:24-bookworm-slim

# ---- build: install everything, generate the Prisma client, compile TypeScript into dist/ ----
FROM ${NODE_IMAGE} AS build
WORKDIR /app

COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
COPY scripts ./scripts
# --ignore-scripts: no dependency install script is needed here, and turning them all off does not
# depend on how the image's npm (Node 24 bundles npm 11) treats package.json's `allowScripts`
# (@prisma/engines would download a native engine the project never uses). The project's own
# postinstall step is run explicitly instead.
RUN npm ci --ignore-scripts --no-audit --no-fund \
 && npm run generate

COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# The generated Prisma client is TypeScript under src/generated: it is compiled into dist/ here,
# so the runtime stage needs neither the Prisma CLI nor the schema.
RUN npm run build

# ---- runtime: production dependencies, the compiled service and the migrations it applies ----
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app

COPY package.json package-lock.json ./
# --ignore-scripts: the postinstall step (prisma generate) needs the schema and is not wanted here;
# the client is already compiled into dist/. argon2 then loads its prebuilt binary, built for
# Node-API 10, which Node 24 has; on Node 20 (Node-API 9) that binary crashes the process at load,
# and only argon2's own build from source (its install script, which `npm install` runs) works.
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force

COPY --from=build /app/dist ./dist
# Applied by the service at start, read from prisma/migrations next to dist/.
COPY prisma/migrations ./prisma/migrations

# DATA_DIR (./.data) holds the embedded database when DATABASE_URL is not set.
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node

EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/main.js"]
