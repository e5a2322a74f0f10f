# syntax=docker/dockerfile:1
# Photonix: one image for every role. The command picks the role:
#   docker run photonix web | worker --queues import,media | beat | watch | flower | status
# docker-compose.yml runs them all with PostgreSQL and Redis; docs/deploy.md explains the rest.

# -- the web app (React), built once ------------------------------------------------------------
FROM node:20-bookworm-slim AS ui
WORKDIR /build
COPY ui/package.json ui/package-lock.json ui/
RUN cd ui && npm ci --no-audit --no-fund
COPY ui/ ui/
COPY src/photonix/api/openapi.yaml src/photonix/api/openapi.yaml
# Vite writes the build to ../src/photonix/web/dist
RUN cd ui && npm run build

# -- the Python package ---------------------------------------------------------------------------
FROM python:3.11-slim-bookworm
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH=/opt/photonix/.venv/bin:$PATH \
    PHOTONIX_DATA_DIR=/data \
    PHOTONIX_BIND=0.0.0.0
# exiftool reads metadata (stay-open batch mode); tini reaps the exiftool children and passes
# SIGTERM on, so `docker stop` is a Celery warm shutdown.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libimage-exiftool-perl tini \
    && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 1000 photonix \
    && useradd --system --uid 1000 --gid photonix --home-dir /data --no-create-home photonix \
    && mkdir -p /data /photos \
    && chown photonix:photonix /data

WORKDIR /opt/photonix
COPY requirements.lock ./
COPY pyproject.toml README.md ./
COPY src/ src/
COPY --from=ui /build/src/photonix/web/dist/ src/photonix/web/dist/
# The package with exactly the versions pinned in requirements.lock (only what it needs to run).
RUN python -m venv .venv \
    && .venv/bin/pip install --constraint requirements.lock . \
    && .venv/bin/photonix --help >/dev/null

USER photonix
VOLUME ["/data"]
EXPOSE 8000 5555
ENTRYPOINT ["tini", "--", "photonix"]
CMD ["web"]
