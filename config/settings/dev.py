"""Local development and the `make run` demo: embedded SQLite, DEBUG on, demo mode on."""

import os
from pathlib import Path

from .devkeys import load_dev_env

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("CTIP_DEMO_MODE", "1")
load_dev_env(Path(os.environ.get("CTIP_VAR_DIR", Path(__file__).resolve().parent.parent.parent / "var")))

from .base import *  # noqa: E402,F403

STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Serve static files straight from the apps (no collectstatic needed outside production).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
