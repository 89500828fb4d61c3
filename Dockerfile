# Production image: gunicorn for the web, the same image for Celery worker and beat.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM python:3.12-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=ipsportal.settings.production \
    IPSPORTAL_VAR_DIR=/var/lib/ipsportal
RUN apt-get update && apt-get install -y --no-install-recommends gettext \
       libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home ipsportal && mkdir -p /var/lib/ipsportal \
    && chown ipsportal /var/lib/ipsportal
WORKDIR /app
COPY requirements.lock ./
RUN pip install --no-cache-dir -r requirements.lock
COPY --from=assets /app/node_modules ./node_modules
COPY . .
# collectstatic needs no secrets; throwaway values satisfy the production settings at build time.
RUN SECRET_KEY=build ALLOWED_HOSTS=build CPR_ENCRYPTION_KEYS=ZGV2LW9ubHktY3ByLWtleS1kby1ub3QtdXNlLTEyMzQ= \
    CPR_HASH_KEY=build DATABASE_URL=sqlite:////tmp/build.sqlite3 REDIS_URL=redis://build:6379/0 \
    python manage.py collectstatic --noinput --verbosity 0
USER ipsportal
EXPOSE 8000
CMD ["gunicorn", "ipsportal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "4", "--access-logfile", "-"]
