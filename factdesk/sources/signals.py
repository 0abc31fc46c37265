"""What the sources app tells the apps above it, without knowing them (docs/architecture.md)."""

from django.dispatch import Signal

# Sent as a fetch archives a source, inside the transaction that marks it archived
# (source_id=...): what a receiver writes commits with the copy, or not at all. A receiver
# keeps its queries in a transaction.atomic() block of its own, so that its failure (logged)
# rolls back only its part. The articles app fills in an article added by this URL.
source_archived = Signal()

# Sent once a source already archived is found changed (a new snapshot of different content)
# or gone (a dead link) by a later fetch (source_id=..., change="changed" or "dead",
# marker=what tells this change from the next one: the new snapshot's id, the time it died).
# The notifications app tells the followers of the published fact checks that cite it.
source_watch_flagged = Signal()
