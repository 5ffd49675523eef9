# Build the site, then serve it with Debian's Caddy and hosting/Caddyfile: gzip, and the site's
# Content-Security-Policy, nosniff and Referrer-Policy as real headers (what GitHub Pages cannot send).
#   docker build -t markitup-ollama-docs .
#   docker run --rm -p 8000:8080 markitup-ollama-docs   # then open http://<host>:8000/
# The test suite runs the same Caddyfile with Debian's caddy (tests/test_container_server.py).
FROM python:3.11-slim-bookworm AS build
WORKDIR /src
COPY requirements.txt ./
RUN pip install --no-cache-dir --require-hashes -r requirements.txt
COPY mkdocs.yml providers.yml providers.schema.json ./
COPY macros ./macros
COPY hooks ./hooks
COPY overrides ./overrides
COPY docs ./docs
# SITE_URL is where readers will open the site; the terminal checker's links point there.
ARG SITE_URL=http://localhost:8000/
# SITE_CSP_FILE: the build also writes its Content-Security-Policy there, for the server's header.
ENV SITE_URL=${SITE_URL} NO_MKDOCS_2_WARNING=1 SITE_CSP_FILE=/src/content-security-policy.txt
RUN mkdocs build --strict

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends caddy \
    && rm -rf /var/lib/apt/lists/*
COPY hosting/Caddyfile hosting/serve-site /etc/caddy/
COPY --from=build /src/site /srv/site
COPY --from=build /src/content-security-policy.txt /srv/content-security-policy.txt
# Debian's package makes the unprivileged caddy user, whose home holds Caddy's small state files.
USER caddy
ENV HOME=/var/lib/caddy
EXPOSE 8080
CMD ["/etc/caddy/serve-site", "/srv/site", "/srv/content-security-policy.txt", ":8080"]
