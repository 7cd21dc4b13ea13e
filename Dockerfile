# pledge-normalizer: a slim, non-root image running gunicorn (see README "Docker").
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Installed the way the README installs it: `pip install .` from the source tree.
COPY pyproject.toml README.md ./
COPY service ./service
RUN pip install . && rm -rf /root/.cache

COPY gunicorn.conf.py openapi.yaml ./

RUN useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin app
USER 10001

ENV PORT=8000 \
    BIND_HOST=0.0.0.0 \
    OPENAPI_SPEC_PATH=/app/openapi.yaml \
    LOG_LEVEL=info
EXPOSE 8000

# Exec form: gunicorn is PID 1 and receives SIGTERM itself (graceful stop, no shell in between).
CMD ["gunicorn", "-c", "gunicorn.conf.py", "service.wsgi:app"]
