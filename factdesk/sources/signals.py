"""What the sources app tells the apps above it, without knowing them (docs/architecture.md)."""

from django.dispatch import Signal

# Sent by the fetch task once a source's archived copy is committed (source_id=...). The
# articles app fills in an article added by this URL.
source_archived = Signal()
