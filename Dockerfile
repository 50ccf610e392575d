# patchbay as a container: `docker build -t patchbay .` then
# `docker run --rm -p 8080:8080 patchbay`. The demo fixtures are built into the binary; the database
# lives on the /data volume; the control API is open to the container's private networks (override
# PATCHBAY__CONTROL__ALLOW_NETWORKS, or set PATCHBAY__CONTROL__ADMIN_TOKEN), and its health route
# to everyone, so HEALTHCHECK needs no secret.

FROM rust:1-slim-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked -p patchbay-server \
    && install -D target/release/patchbay /out/usr/local/bin/patchbay

FROM debian:bookworm-slim
RUN groupadd --system --gid 10001 patchbay \
    && useradd --system --uid 10001 --gid patchbay --home-dir /data --shell /usr/sbin/nologin patchbay \
    && install -d -o patchbay -g patchbay /data
COPY --from=build /out/ /
USER patchbay:patchbay
WORKDIR /data
VOLUME ["/data"]
ENV PATCHBAY__SERVER__BIND=0.0.0.0:8080 \
    PATCHBAY__STORE__DB=/data/patchbay.db \
    PATCHBAY__CONTROL__ALLOW_NETWORKS=10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7
EXPOSE 8080
# The binary answers its own health check: the slim image has no curl.
HEALTHCHECK --interval=5s --timeout=3s --start-period=5s --retries=3 \
    CMD ["patchbay", "health", "--url", "http://127.0.0.1:8080"]
ENTRYPOINT ["patchbay"]
CMD ["serve"]
