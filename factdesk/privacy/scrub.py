"""Finding and replacing a person's name in every text column of the desk's database.

An account's name is copied into free text in many places the models do not link back to
the account: audit summaries and their before/after values ("assigned the claim to Jane
Doe"), notifications, @mentions in comments, webhook payloads, the admin's log, an import's
report. Rather than a list of such places, which the next feature would silently outgrow,
every text, varchar and json column of every table is searched (information_schema), so
that a new column is covered without a change here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db import connection

# Tables never rewritten: Django's own bookkeeping, and rows erased another way (the
# accounts themselves: another person's user name may contain this one's, "ed" in "ed-k").
SKIPPED_TABLES = frozenset(
    {"django_migrations", "django_content_type", "auth_permission", "django_session", "auth_user"}
)
# Tables whose matching rows are deleted, not rewritten: a word list with the word as its
# key (a rewritten word could collide with another).
DELETED_TABLES = {"claims_searchword": "word"}
TEXT_TYPES = ("text", "character varying", "json", "jsonb")


def pattern(terms: Iterable[str]) -> str:
    """A PostgreSQL regular expression (ARE, used case-insensitively) for any of `terms` as
    whole words, as user names are written: "ann" matches "@ann," and "ann." but not "anne",
    "ann-b" or "ann.b". Longer terms first, so that an email address is replaced whole
    before the user name inside it."""
    escaped = [
        r"\s+".join(re.sub(r"([^\w])", r"\\\1", word) for word in term.split())
        for term in sorted({term.strip() for term in terms if term.strip()}, key=len, reverse=True)
    ]
    if not escaped:
        raise ValueError("no terms to search for")
    return r"(?<![[:alnum:]_.+-])(?:" + "|".join(escaped) + r")(?![[:alnum:]_+-]|[.@][[:alnum:]_])"


def text_columns() -> list[tuple[str, str, str]]:
    """(table, column, data type) of every text-like column of the desk's tables."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.table_name, c.column_name, c.data_type
            FROM information_schema.columns c
            JOIN information_schema.tables t
              ON t.table_schema = c.table_schema AND t.table_name = c.table_name
            WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
              AND c.data_type = ANY(%s) AND c.is_generated = 'NEVER'
            ORDER BY c.table_name, c.ordinal_position
            """,
            [list(TEXT_TYPES)],
        )
        return [
            (table, column, kind)
            for table, column, kind in cursor.fetchall()
            if table not in SKIPPED_TABLES
        ]


def _as_text(column: str, kind: str) -> str:
    quoted = connection.ops.quote_name(column)
    return f"{quoted}::text" if kind in ("json", "jsonb") else quoted


def occurrences(terms: Iterable[str]) -> dict[str, int]:
    """ "table.column" → rows where any of `terms` occurs, for every column that has some."""
    regex = pattern(terms)
    found = {}
    with connection.cursor() as cursor:
        for table, column, kind in text_columns():
            cursor.execute(
                f"SELECT count(*) FROM {connection.ops.quote_name(table)} "  # noqa: S608
                f"WHERE {_as_text(column, kind)} ~* %s",
                [regex],
            )
            count = cursor.fetchone()[0]
            if count:
                found[f"{table}.{column}"] = count
    return found


def replace_everywhere(terms: Iterable[str], replacement: str) -> dict[str, int]:
    """Replace `terms` (whole words, any case) by `replacement` in every text column; return
    "table.column" → rows changed. The caller holds the transaction, and has set
    `factdesk.redacting` if verdict versions may change (privacy migration 0001)."""
    if "\\" in replacement:
        raise ValueError("a replacement is plain text")
    regex = pattern(terms)
    changed = {}
    with connection.cursor() as cursor:
        for table, column, kind in text_columns():
            name, quoted = connection.ops.quote_name(table), connection.ops.quote_name(column)
            if DELETED_TABLES.get(table) == column:
                cursor.execute(f"DELETE FROM {name} WHERE {quoted} ~* %s", [regex])  # noqa: S608
            else:
                value = f"regexp_replace({_as_text(column, kind)}, %s, %s, 'gi')"
                if kind in ("json", "jsonb"):
                    value = f"({value})::{kind}"
                cursor.execute(
                    f"UPDATE {name} SET {quoted} = {value} "  # noqa: S608
                    f"WHERE {_as_text(column, kind)} ~* %s",
                    [regex, replacement, regex],
                )
            if cursor.rowcount:
                changed[f"{table}.{column}"] = cursor.rowcount
    return changed
