"""Production: PostgreSQL, HTTPS behind a reverse proxy, no debug, no demo. Passes `check --deploy`."""

import os

os.environ["DEBUG"] = "0"

from .base import *  # noqa: E402,F403
from .base import env, env_bool  # noqa: E402

DEBUG = False
CTIP_DEMO_MODE = False
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Rate-limit counters must be shared by every web process: the database cache unless Redis is configured
# (CACHE_URL=redis://...). `manage.py migrate` creates its table (ctip.core.signals.create_cache_tables).
from .base import cache_from_url  # noqa: E402

CACHES = {"default": cache_from_url(env("CACHE_URL", "db"))}
