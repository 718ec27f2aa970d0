# V-Insight as one compiled binary on a slim base.
# Build:  docker build -t v-insight .
# Run:    docker run -p 8000:8000 -v vinsight-data:/data v-insight
FROM node:20-bookworm-slim AS build
WORKDIR /src
ENV DENO_DIR=/deno-cache RUST_BACKTRACE=0 DENO_NO_UPDATE_CHECK=1
RUN npm install -g deno@2.9.6
COPY deno.json deno.lock ./
COPY . .
RUN deno install && deno task compile

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \
  && rm -rf /var/lib/apt/lists/* \
  && useradd --system --home /data vinsight && mkdir -p /data && chown vinsight /data
COPY --from=build /src/dist/v-insight /usr/local/bin/v-insight
USER vinsight
ENV DATA_DIR=/data PORT=8000 DENO_NO_UPDATE_CHECK=1
EXPOSE 8000
VOLUME ["/data"]
HEALTHCHECK --interval=30s --timeout=3s CMD ["/usr/local/bin/v-insight", "--healthcheck"]
ENTRYPOINT ["/usr/local/bin/v-insight"]
