from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    """Search needs trigram similarity (typo fallback) and accent-insensitive matching."""

    dependencies: list[tuple[str, str]] = []

    operations = [TrigramExtension(), UnaccentExtension()]
