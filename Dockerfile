FROM python:3.11-slim-bookworm

ENV PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

COPY pyproject.toml README.md ./
COPY factdesk ./factdesk
COPY manage.py ./
RUN pip install --upgrade pip && pip install . \
    && useradd --system --home /app factdesk \
    && mkdir -p /app/var /srv/snapshots /backups \
    && chown -R factdesk /app/var /srv/snapshots /backups

# collectstatic reads settings; a throwaway key is enough to build, the real one comes at run time.
RUN DEBUG=0 SECRET_KEY=build-only-not-used-at-run-time-0123456789abcdefghijklmnop \
    DATABASE_URL=postgresql://build@localhost/build REDIS_URL=redis://localhost:6379/0 \
    python manage.py collectstatic --noinput

USER factdesk
EXPOSE 8000
CMD ["gunicorn", "factdesk.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]
