# syntax=docker/dockerfile:1
#
# Container image of the Pipedeck dashboard: the Next.js standalone server, run as a non-root user.
#
#   docker build -t pipedeck:0.1.0 .
#   docker run -p 3000:3000 -e PIPEDECK_TOKEN=$(openssl rand -hex 32) -v pipedeck-data:/data pipedeck:0.1.0
#
# NOTE: this file has never been built. The machines Pipedeck is developed on cannot pull base
# images; what was tested instead is listed in docs/kubernetes.md.

ARG NODE_IMAGE=node:20-bookworm-slim

# Dependencies, dev dependencies included (the build needs TypeScript and Tailwind CSS).
FROM ${NODE_IMAGE} AS deps
WORKDIR /src
# better-sqlite3 compiles its native module when no prebuilt binary matches the platform.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# The standalone build: .next/standalone holds server.js and only the node_modules files it uses.
FROM ${NODE_IMAGE} AS build
WORKDIR /src
ENV NEXT_TELEMETRY_DISABLED=1
COPY --from=deps /src/node_modules ./node_modules
COPY . .
# public/ may be empty, and git keeps no empty folder; the runtime stage copies it either way.
RUN mkdir -p public && PIPEDECK_STANDALONE=1 npx next build

FROM ${NODE_IMAGE} AS runtime
# tini runs as PID 1 so that signals reach Node.js and orphaned step processes are reaped.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    HOSTNAME=0.0.0.0 \
    PORT=3000 \
    PIPEDECK_DATA_DIR=/data \
    PIPEDECK_ROOT=/app

COPY --from=build /src/.next/standalone ./
COPY --from=build /src/.next/static ./.next/static
COPY --from=build /src/public ./public
# Read by path at run time. Tracing already copies them into the standalone tree (next.config.js);
# copying them again keeps the image right if that configuration changes.
COPY --from=build /src/lib/executors/process/supervisor.mjs ./lib/executors/process/supervisor.mjs
COPY --from=build /src/examples ./examples
COPY --from=build /src/scripts/start.mjs ./scripts/start.mjs
COPY --from=build /src/deploy/start-standalone.mjs ./start-standalone.mjs

# The data directory belongs to the `node` user (uid 1000) that the server runs as. The rest of
# /app stays owned by root, so the server cannot change its own code.
RUN mkdir -p /data /app/.next/cache && chown 1000:1000 /data /app/.next/cache
USER 1000:1000

EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "start-standalone.mjs"]
