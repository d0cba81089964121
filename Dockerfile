# continuity: build with the Swift toolchain, run on a slim Debian with only the C libraries
# the binary links (libsqlite3, zlib; the Swift runtime is linked statically).
ARG SWIFT_VERSION=6.3
FROM swift:${SWIFT_VERSION}-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends libsqlite3-dev zlib1g-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
RUN swift build -c release --static-swift-stdlib --product continuity \
 && install -D "$(swift build -c release --show-bin-path)/continuity" /out/continuity

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libsqlite3-0 zlib1g tzdata libstdc++6 ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 continuity \
 && useradd --system --uid 10001 --gid 10001 --home-dir /app --shell /usr/sbin/nologin continuity \
 && mkdir -p /data \
 && chown continuity:continuity /data
WORKDIR /app
COPY --from=build /out/continuity /usr/local/bin/continuity
COPY config ./config
# The fixed keys of SPEC §6: listen on every interface inside the container, data in the volume.
ENV CONTINUITY_SERVER_HOST=0.0.0.0 \
    CONTINUITY_DATABASE_PATH=/data/continuity.sqlite
VOLUME ["/data"]
USER 10001:10001
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 CMD ["continuity", "healthcheck"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["continuity"]
CMD ["serve"]
