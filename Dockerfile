# loadctl container image: the CLI on Node 20, run as a non-root user.
#   docker build -t loadctl:0.1.0 .
#   docker run --rm --network host -v "$PWD:/work" loadctl:0.1.0 run scenarios/smoke.yml
# Used by `loadctl k8s` (docs/distributed.md): pods run `loadctl run … --segment k/n`.
ARG NODE_IMAGE=node:20-bookworm-slim

# --- build: install the workspace, compile, and deploy the CLI with its production dependencies only
FROM ${NODE_IMAGE} AS build
WORKDIR /src
RUN corepack enable
# manifests first, so the dependency layer is cached while only sources change
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml tsconfig.base.json tsconfig.json ./
COPY packages/core/package.json packages/core/
COPY packages/reporters/package.json packages/reporters/
COPY packages/cli/package.json packages/cli/
RUN pnpm install --frozen-lockfile --filter "loadctl..." --filter "loadctl-monorepo" --ignore-scripts
COPY packages/core/ packages/core/
COPY packages/reporters/ packages/reporters/
COPY packages/cli/ packages/cli/
RUN pnpm exec tsc -b packages/cli \
 && pnpm --filter loadctl deploy --prod /out

# --- runtime: node + the deployed CLI, nothing else
FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    NO_COLOR=1
COPY --from=build /out /app
RUN chmod 0755 /app/bin/run.js \
 && ln -s /app/bin/run.js /usr/local/bin/loadctl \
 && mkdir -p /work /results \
 && chown node:node /work /results
# the image's `node` user (uid 1000), as the Kubernetes manifests expect (runAsUser: 1000)
USER node
WORKDIR /work
ENTRYPOINT ["loadctl"]
CMD ["--help"]
