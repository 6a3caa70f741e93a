# syntax=docker/dockerfile:1
# Tessera: build with the dev toolchain, then run the compiled service on production dependencies only.
#   docker build -t tessera .
#   docker run -p 3000:3000 -v tessera-data:/app/data -e KEY_ENCRYPTION_KEY=… -e ISSUER=https://auth.example.com tessera

# Node 26, the Active LTS line since 2026-10-28 (maintained until 2029-04-30), on Debian 13 (its default base).
# Both stages use the same image: better-sqlite3 is compiled for the Node of the build stage.
FROM node:26-trixie-slim AS build
# better-sqlite3 falls back to compiling its native addon from source when no prebuilt binary fits.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: "prepare" would run `npm run build` before the sources are here; then build the one
# native addon explicitly (argon2 ships prebuilt binaries as optional dependencies).
RUN npm ci --ignore-scripts && npm rebuild better-sqlite3
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build-info.mjs ./scripts/
COPY src ./src
# The commit the image is built from, for the startup log and /metrics (there is no .git in the build context's copy):
#   docker build --build-arg TESSERA_COMMIT=$(git rev-parse --short=12 HEAD) -t tessera .
ARG TESSERA_COMMIT=unknown
# The server only: the verifier package (packages/verify, a workspace) is for other services.
RUN npm run build:server
# Drop dev dependencies but keep the compiled better-sqlite3, so the final stage needs no compiler.
RUN npm prune --omit=dev --ignore-scripts

FROM node:26-trixie-slim
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0 \
    DATABASE_URL=file:/app/data/tessera.db
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Read at run time: the migrations (store/sqlite.ts, store/postgres.ts), the API description (/docs), the CLI entry.
COPY package.json openapi.yaml ./
COPY drizzle ./drizzle
COPY bin ./bin
RUN mkdir -p /app/data && chown node:node /app/data
USER node
# Declared after the chown so a fresh named volume starts out owned by the node user.
VOLUME /app/data
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# NODE_ENV=production requires KEY_ENCRYPTION_KEY (32 bytes, base64): the private signing keys are stored encrypted.
CMD ["node", "dist/main.js"]
