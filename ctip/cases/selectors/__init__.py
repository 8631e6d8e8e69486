"""Case selectors, split by subject like services/ and views/: the case core in core.py, the NRM sections of a
case in sections.py, "my tasks" in tasks.py, the printable summary in summary.py.

Import from here: `from ctip.cases import selectors; selectors.case_get_for_user(...)`.
"""

from .core import *  # noqa: F403
from .ctdc import *  # noqa: F403
from .htcds import *  # noqa: F403
from .overview import *  # noqa: F403
from .sections import *  # noqa: F403
from .summary import *  # noqa: F403
from .tasks import *  # noqa: F403
