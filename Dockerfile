# Day2 bot image. Node 22 LTS, pinned to the exact release CI runs on (.ci/run NODE_CI_VERSION);
# bump both together.

# --- build: the full dependency tree, TypeScript compiled to dist/ --------------------------------
FROM node:22.23.3-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY commands ./commands
# tsconfig.build.json compiles this one bench file too (the ack-latency bench's bare Bolt app).
COPY bench/bare-bolt.ts ./bench/bare-bolt.ts
RUN npm run build

# --- runtime: production dependencies only (no typescript, tsx, vitest), non-root ----------------
FROM node:22.23.3-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# typescript is an optional peer of @mattermost/client and @mattermost/types: the lockfile marks it
# devOptional, which --omit=dev keeps. Nothing needs it at run time (test/integration/deploy).
RUN npm ci --omit=dev --no-audit --no-fund \
 && rm -rf node_modules/typescript node_modules/.bin/tsc node_modules/.bin/tsserver \
 && npm cache clean --force
COPY --from=build /app/dist ./dist
# Templates are found from package.json's directory (src/render/renderer.ts); bin/day2.js runs
# dist/src/cli/main.js (`docker compose exec day2 node bin/day2.js check-config`).
COPY templates ./templates
COPY bin ./bin
COPY day2.example.yaml slack-app-manifest.yaml ./
# The config comes from a mounted directory (docker-compose.yml), never baked into the image.
ENV DAY2_CONFIG=/etc/day2/day2.yaml
USER node
EXPOSE 3000
# Docker stops with SIGTERM: Day2 drains (503 + Retry-After, in-flight jobs finish) then exits.
STOPSIGNAL SIGTERM
# slim has no curl: ask /healthz with node's fetch.
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/src/cli/main.js", "start"]
