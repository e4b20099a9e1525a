# syntax=docker/dockerfile:1

FROM rust:1.95-bookworm AS build
# The MP3 and Vorbis encoders are C code built with the image's gcc and make.
WORKDIR /src
# Dependencies first, so code changes do not rebuild them.
COPY Cargo.toml Cargo.lock ./
RUN mkdir src && echo 'fn main() {}' > src/main.rs && touch src/lib.rs \
    && cargo build --release --locked \
    && rm -rf src
COPY build.rs ./
COPY migrations migrations
COPY web web
COPY src src
RUN touch src/main.rs src/lib.rs && cargo build --release --locked

FROM debian:bookworm-slim AS runtime
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates espeak-ng \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /var/lib/waqup --create-home waqup \
    && mkdir -p /var/lib/waqup/data \
    && chown waqup:waqup /var/lib/waqup/data
COPY --from=build /src/target/release/waqup /usr/local/bin/waqup
USER waqup
WORKDIR /var/lib/waqup
ENV WAQUP_BIND=0.0.0.0:8080 \
    WAQUP_DATA_DIR=/var/lib/waqup/data \
    WAQUP_LOG_FORMAT=json
EXPOSE 8080
VOLUME ["/var/lib/waqup/data"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/waqup"]
CMD ["serve"]
