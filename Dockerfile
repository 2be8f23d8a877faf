# giftlab in a small Node 20 image. The CLI runs its TypeScript sources through tsx (a runtime
# dependency), so there is no build step: install the production dependencies, copy the sources.
#
#   docker build -t giftlab .
#   docker run --rm -v "$PWD/runs:/app/runs" giftlab sweep scenarios/baseline.yaml --vary payout.creatorShare=0.4,0.5,0.6
#
# Kubernetes: experiments/sweep/k8s/ runs sharded sweeps of this image as an Indexed Job.

# Dependencies: better-sqlite3 downloads a prebuilt binary for this glibc platform; the toolchain is
# only its fallback and stays in this stage.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json ./
COPY bin ./bin
COPY cli ./cli
COPY common ./common
COPY sim ./sim
COPY experiments ./experiments
COPY scenarios ./scenarios
COPY reports ./reports
COPY load ./load
# `giftlab` on PATH (for shells in batch jobs); runs/ and /data writable by the unprivileged user.
RUN chmod +x bin/giftlab.js \
  && ln -s /app/bin/giftlab.js /usr/local/bin/giftlab \
  && mkdir -p /app/runs /data \
  && chown node:node /app/runs /data
USER node
ENTRYPOINT ["giftlab"]
CMD ["--help"]
