# Rouei: slim image, non-root, health-checked. Data lives in /data (SQLite) unless
# ROUEI_DATABASE_URL points at PostgreSQL (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    ROUEI_DATABASE_URL=sqlite:////data/rouei.db

RUN useradd --create-home --uid 10001 rouei \
 && mkdir -p /data && chown rouei:rouei /data

WORKDIR /srv/rouei
# Dependencies first, so code changes reuse this layer.
COPY pyproject.toml README.md ./
RUN mkdir app && echo '__version__ = "0"' > app/__init__.py \
 && pip install . && pip uninstall -y rouei && rm -rf app build *.egg-info

COPY alembic.ini ./
COPY app ./app
COPY migrations ./migrations
COPY templates ./templates
COPY static ./static
# Editable, so the app finds migrations/, templates/ and static/ beside its package.
RUN pip install --no-deps -e .

USER rouei
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)" || exit 1

# `rouei serve` migrates the store and loads the bundled data when it is empty.
CMD ["rouei", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "2"]
