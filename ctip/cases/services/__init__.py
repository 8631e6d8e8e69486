"""Case services, split by subject (ARCHITECTURE.md: a file past ~600 lines becomes a package).

Import from here: `from ctip.cases import services; services.case_open(...)`.
"""

from .care import *  # noqa: F403
from .care import __all__ as _care
from .consent import *  # noqa: F403
from .consent import __all__ as _consent
from .core import *  # noqa: F403
from .core import __all__ as _core
from .followups import *  # noqa: F403
from .followups import __all__ as _followups
from .registration import *  # noqa: F403
from .registration import __all__ as _registration
from .screening import *  # noqa: F403
from .screening import __all__ as _screening

__all__ = [*_core, *_registration, *_screening, *_consent, *_care, *_followups]
