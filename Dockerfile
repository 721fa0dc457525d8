# newsbot: python -m bot run on a slim Python, as a non-root user.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

# Dependencies first, in their own layer: it is rebuilt only when pyproject.toml changes.
COPY pyproject.toml ./
RUN python -c "import tomllib; p = tomllib.load(open('pyproject.toml', 'rb'))['project']; \
print('\n'.join(p['dependencies'] + p['optional-dependencies']['postgres']))" > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt

# Then the code (changes often, installs in seconds: no dependencies left to fetch).
COPY README.md ./
COPY engine ./engine
COPY storage ./storage
COPY ingest ./ingest
COPY services ./services
COPY delivery ./delivery
COPY i18n ./i18n
COPY handlers ./handlers
COPY bot ./bot
COPY seeds ./seeds
# Compile the message catalogs (.po → .mo), then install the code where it lies (editable): it
# runs from /app, beside seeds/ and the compiled catalogs. A plain `pip install .` would run it
# from site-packages, where neither is (the image then started with an empty store).
RUN pybabel -q compile -d i18n/locales -D newsbot \
    && pip install --no-deps -e . \
    && useradd --create-home --uid 10001 newsbot \
    && mkdir -p /data && chown newsbot /data

USER newsbot
# The SQLite file (the default DATABASE_URL) lives here; compose uses PostgreSQL instead.
WORKDIR /data
VOLUME /data
# /healthz answers when HEALTH_PORT is set (compose sets it); without it the check is skipped.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD python -c "import os, sys, urllib.request; port = os.environ.get('HEALTH_PORT'); \
sys.exit(0) if not port else urllib.request.urlopen(f'http://127.0.0.1:{port}/healthz', timeout=4)"
ENTRYPOINT ["python", "-m", "bot"]
CMD ["run"]
