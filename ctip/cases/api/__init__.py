"""Case API, split like services/ and views/: the case core (list, registration, detail, status) in core.py, the
section endpoints (screening, decision, consent, follow-ups) in sections.py. URLs in ctip/cases/api_urls.py."""

from .core import *  # noqa: F403
from .sections import *  # noqa: F403
