# The image `hpsearch k8s --image IMAGE` expects: hpsearch as the entrypoint, so a pod's
# args are `worker --study NAME …` (the storage URL comes from a Secret, in $HPSEARCH_STORAGE).
#   docker build -t registry.example.org/lab/hpsearch:0.1.0 .
#   docker push registry.example.org/lab/hpsearch:0.1.0
# Data and user modules a spec names are not in the image: mount them and pass --data-root.
FROM node:20-bookworm-slim

# Build tools for better-sqlite3 where no prebuilt binary fits; OpenBLAS for the blas backend.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ libopenblas0 ca-certificates \
  && rm -rf /var/lib/apt/lists/*

WORKDIR /opt/hpsearch
COPY package.json package-lock.json tsconfig.json ./
COPY bin ./bin
COPY src ./src
COPY configs ./configs
COPY schema ./schema
# npm ci installs the exact locked tree (its prepare script compiles too); then the
# compiled CLI is all that runs, and the compiler and linters go.
RUN npm ci --no-audit --no-fund \
  && npm run build \
  && npm prune --omit=dev --no-audit --no-fund \
  && npm cache clean --force

USER node
WORKDIR /home/node
ENTRYPOINT ["node", "/opt/hpsearch/bin/hpsearch.js"]
CMD ["--help"]
