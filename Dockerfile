# V-Insight as one compiled binary on a slim base.
# Build:  docker build -t v-insight .
# Run:    docker run -p 8000:8000 -v vinsight-data:/data v-insight
# Several instances on PostgreSQL: see compose.yaml.

FROM node:22-bookworm-slim AS build
WORKDIR /src
ENV DENO_DIR=/deno-cache RUST_BACKTRACE=0 DENO_NO_UPDATE_CHECK=1
RUN npm install -g deno@2.9.6
# Dependencies first, so the layer is cached while only the code changes.
COPY deno.json deno.lock ./
COPY . .
# Only the modules main.ts reaches are embedded (--node-modules-dir=none --exclude-unused-npm):
# no test or benchmark package goes into the binary.
RUN deno task compile

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \
  && rm -rf /var/lib/apt/lists/* \
  && mkdir -p /data && chown 10001:10001 /data && chmod 700 /data
COPY --from=build /src/dist/v-insight /usr/local/bin/v-insight
# A numeric user, so Kubernetes' runAsNonRoot can verify it without /etc/passwd.
USER 10001:10001
# glibc hands memory blocks over 128 KB straight back to the system instead of keeping them
# (its default threshold grows to 32 MB): 30–50 MB less at 10,000 monitors on the embedded
# database (docs/BENCHMARKS.md).
ENV DATA_DIR=/data PORT=8000 HOST=0.0.0.0 DENO_NO_UPDATE_CHECK=1 MALLOC_MMAP_THRESHOLD_=131072
EXPOSE 8000
VOLUME ["/data"]
# The first start initialises the embedded database (about 5 s): give it time before counting.
HEALTHCHECK --interval=30s --timeout=3s --start-period=30s --retries=3 \
  CMD ["/usr/local/bin/v-insight", "--healthcheck"]
# SIGTERM stores in-flight results and closes streams; the process exits within 8 s,
# inside Docker's default 10 s grace period.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/v-insight"]
