"""What the claims app tells the apps above it, without knowing them (docs/architecture.md)."""

from django.dispatch import Signal

# Sent once an Activity's transaction has committed (activity=...): the change it records is
# on the desk for good, so the apps above (notifications) may act on it. Never sent for a
# change that was rolled back.
activity_recorded = Signal()
