"""Writes of intake, split by subject (ARCHITECTURE.md: a file past ~600 lines becomes a package): public tips
and their triage (tips), hotline calls (calls), conversion of either into a case (conversion), bulk imports
(imports), and what they share (common: sealing, references, PINs, checks).

Each service checks the actor's right, locks what it checks, validates, writes and audits in one transaction
(ARCHITECTURE.md rules 1-2); state changes go through the transition tables in enums.py (rule 4). Text a
reporter or caller wrote is sealed with the vault, bound to the record and field.

Import from here: `from ctip.intake import services; services.tip_submit(...)`.
"""

from .calls import *  # noqa: F403
from .calls import __all__ as _calls
from .common import *  # noqa: F403
from .common import __all__ as _common
from .conversion import *  # noqa: F403
from .conversion import __all__ as _conversion
from .imports import *  # noqa: F403
from .imports import __all__ as _imports
from .tips import *  # noqa: F403
from .tips import __all__ as _tips

__all__ = [*_common, *_tips, *_calls, *_conversion, *_imports]
