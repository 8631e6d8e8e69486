"""Case services, split by subject (ARCHITECTURE.md: a file past ~600 lines becomes a package).

Import from here: `from ctip.cases import services; services.case_open(...)`.
"""

from .core import *  # noqa: F403
from .core import __all__ as _core

__all__ = [*_core]
