"""The database alias for report figures: the read replica when one is configured (`DATABASE_REPLICA_URL`), else
the primary.

Only aggregate, unaudited, non-identifying figures (counts for analysts and the landing page's statistics) read
through `using_reports()`: a replica lags the primary by up to a few seconds, which such a figure tolerates and
nothing a user acts on does. There is deliberately no database router: a router would also send the reads of a
request that then writes, and the identity reads that must be audited in the same transaction, to the replica.
Writes, audited reads and everything else stay on "default".

    Person.objects.using(using_reports()).filter(...).count()
"""

from __future__ import annotations

from django.conf import settings

REPLICA = "replica"


def using_reports() -> str:
    """ "replica" when DATABASES has one, else "default"."""
    return REPLICA if REPLICA in settings.DATABASES else "default"
