# Build the site, then serve the static files with BusyBox httpd (a small static web server).
#   docker build -t markitup-ollama-docs .
#   docker run --rm -p 8000:8080 markitup-ollama-docs   # then open http://<host>:8000/
FROM python:3.11-slim AS build
WORKDIR /src
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt
COPY mkdocs.yml providers.yml providers.schema.json ./
COPY macros ./macros
COPY hooks ./hooks
COPY overrides ./overrides
COPY docs ./docs
# SITE_URL is where readers will open the site; the terminal checker's links point there.
ARG SITE_URL=http://localhost:8000/
ENV SITE_URL=${SITE_URL} NO_MKDOCS_2_WARNING=1
RUN mkdocs build --strict

FROM busybox:1.36
COPY --from=build /src/site /www
USER 65534:65534
EXPOSE 8080
CMD ["httpd", "-f", "-v", "-p", "8080", "-h", "/www"]
