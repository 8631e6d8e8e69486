"""Case forms, split like services/ and views/: the case core (registration, circumstances, status, assignment)
in core.py, the NRM sections (screening, consent, care...) in sections.py. They only parse input."""

from .core import *  # noqa: F403
from .sections import *  # noqa: F403
