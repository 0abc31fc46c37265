"""A large desk for benchmarks/desk.py, written with PostgreSQL COPY.

The desk is seeded once per size into its own database (`bench_<claims>` on the embedded
server, see `database_name`), and a marker table records what was seeded: later runs find
it and reuse the data. A database without the marker (a seeding that was interrupted) is
dropped and seeded again.

Rows are written with psycopg 3's `cursor.copy()`, ids chosen here so that foreign keys need
no round trip. The tables' secondary indexes are dropped before the load and rebuilt after it
(one sort per index instead of a million GIN insertions), and foreign-key triggers are off
during the load (`session_replication_role = replica`): the generator only writes ids it has
made. Columns the generator does not fill take the model field's default, so a new column with
a default needs no change here; a new required column without one is named in the error.

Text follows Zipf's law over a vocabulary of news words: stopwords first, the desk's topical
words among the common ones, then a long tail. A few collocations ("waiting list", "energy
prices") make phrases behave as phrases do (both words common, adjacent far less often), and
a few rare words are planted in a handful of claims and articles, so a rare-word search finds
what a real one does: a few rows.
"""

from __future__ import annotations

import bisect
import datetime
import itertools
import json
import random
import time
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlsplit, urlunsplit

SEED_VERSION = 5  # bump when the generated data changes: older seeded databases are redone
MARKER_TABLE = "bench_seed_marker"

WORDS = [
    "budget",
    "tax",
    "unemployment",
    "inflation",
    "housing",
    "homes",
    "schools",
    "teachers",
    "nurses",
    "hospital",
    "waiting",
    "list",
    "crime",
    "police",
    "immigration",
    "border",
    "wages",
    "pensions",
    "energy",
    "prices",
    "fuel",
    "climate",
    "emissions",
    "vaccine",
    "vaccination",
    "council",
    "buses",
    "trains",
    "fares",
    "roads",
    "potholes",
    "stadium",
    "tourism",
    "jobs",
    "factory",
    "exports",
    "farmers",
    "water",
    "sewage",
    "rivers",
    "flooding",
    "benefits",
    "deficit",
    "debt",
    "growth",
    "recession",
    "students",
    "tuition",
    "library",
    "parks",
    "pollution",
    "broadband",
]
# Said together far more often than chance: a phrase search for them finds the pair.
COLLOCATIONS = {
    "waiting": "list",
    "energy": "prices",
    "council": "tax",
    "housing": "benefits",
    "climate": "emissions",
    "sewage": "rivers",
    "tuition": "fees",
}
# Planted in a few claims (and articles) each, whatever the desk's size.
RARE_WORDS = [
    "desalination",
    "ombudsman",
    "gerrymander",
    "hovercraft",
    "zeppelin",
    "marmalade",
    "sinkhole",
    "quarantine",
    "asbestos",
    "tramline",
]
STOPWORDS = [
    "the",
    "of",
    "and",
    "to",
    "a",
    "in",
    "that",
    "is",
    "was",
    "he",
    "for",
    "it",
    "with",
    "as",
    "his",
    "on",
    "be",
    "at",
    "by",
    "i",
    "this",
    "had",
    "not",
    "are",
    "but",
    "from",
    "or",
    "have",
    "an",
    "they",
    "which",
    "one",
    "you",
    "were",
    "her",
    "all",
    "she",
    "there",
    "would",
    "their",
    "we",
    "him",
    "been",
]
FIRST = "Ada Ben Cleo Dev Ema Finn Gita Hal Ines Jon Kai Lena Milo Nia Omar Pia Raj Sara Tom Uma"
LAST = "Holt Reyes Okafor Lindqvist Moss Nakamura Ibáñez Alvarado Whitcombe Achterberg Byrne"
SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ren",
    "to",
    "sa",
    "vel",
    "dor",
    "an",
    "pe",
    "ri",
    "gu",
    "mo",
    "tes",
    "fa",
    "ni",
    "ber",
    "co",
    "lu",
    "shi",
]

# How claims are spread over the workflow on a desk that has run for a few years: most are
# published or dismissed, a few hundred to a few thousand open.
STATUS_WEIGHTS = {
    "new": 6,
    "researching": 5,
    "in_review": 2,
    "approved": 1,
    "published": 48,
    "corrected": 2,
    "dismissed": 35,
    "duplicate": 1,
}
WITH_VERDICT = {"in_review", "approved", "published", "corrected"}
PUBLISHED = {"published", "corrected"}
DESK_DAYS = 3 * 365  # claims were logged over the last three years, ids in time order


TOPICS = [
    "Economy",
    "Health",
    "Crime",
    "Housing",
    "Transport",
    "Education",
    "Immigration",
    "Energy",
    "Climate",
    "Taxes",
    "Pensions",
    "Jobs",
    "Budget",
    "Policing",
    "Elections",
    "Farming",
    "Water",
    "Broadband",
    "Defence",
    "Trade",
    "Welfare",
    "Childcare",
    "Prisons",
    "Courts",
    "Planning",
    "Tourism",
    "Fishing",
    "Culture",
    "Sport",
    "Science",
    "Roads",
    "Rail",
    "Ports",
    "Airports",
    "Libraries",
    "Parks",
    "Waste",
    "Flooding",
    "Heritage",
    "Media",
]


def database_name(claims: int, articles: int, claimants: int, default_shape: bool) -> str:
    return f"bench_{claims}" if default_shape else f"bench_{claims}_{articles}_{claimants}"


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def prepare_database(server_url: str, name: str, shape: dict[str, int]) -> bool:
    """Create database `name` on the server unless it holds a finished seed of this shape.
    Returns whether it is seeded already."""
    import psycopg

    admin_url = with_database(server_url, "postgres")
    with psycopg.connect(admin_url, autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists:
            with psycopg.connect(with_database(server_url, name)) as conn:
                marker = conn.execute(
                    "SELECT to_regclass(%s) IS NOT NULL", [MARKER_TABLE]
                ).fetchone()
                row = None
                if marker and marker[0]:
                    row = conn.execute(
                        f"SELECT claims, articles, claimants, version FROM {MARKER_TABLE}"  # noqa: S608
                    ).fetchone()
            wanted = (shape["claims"], shape["articles"], shape["claimants"], SEED_VERSION)
            if row == wanted:
                return True
            print(f"Database {name} holds no finished seed of this shape: seeding it again.")
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    return False


class Writer:
    """Sentences whose words follow Zipf's law over the vocabulary."""

    def __init__(self, rng: random.Random, size: int = 8000) -> None:
        self.rng = rng
        tail = {
            "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(size)
        }
        words = sorted(tail - set(WORDS) - set(STOPWORDS) - set(RARE_WORDS))
        rng.shuffle(words)
        for offset, word in enumerate(WORDS):  # topical words at ranks 40 to ~500
            words.insert(offset * 9, word)
        self.words = STOPWORDS + words
        weights = [1 / (rank + 1) ** 1.07 for rank in range(len(self.words))]
        self.cumulative = list(itertools.accumulate(weights))
        self.total = self.cumulative[-1]

    def words_of(self, length: int) -> list[str]:
        random_, words, cumulative, total = self.rng.random, self.words, self.cumulative, self.total
        hi = len(words) - 1
        out = []
        for _ in range(length):
            word = words[bisect.bisect(cumulative, random_() * total, 0, hi)]
            out.append(word)
            follower = COLLOCATIONS.get(word)
            if follower and random_() < 0.6:
                out.append(follower)
        return out

    def sentence(self, length: int, plant: str | None = None) -> str:
        words = self.words_of(length)
        if plant:
            words.insert(self.rng.randrange(len(words) + 1), plant)
        return " ".join(words).capitalize() + "."


class Table:
    """COPY rows into a model's table: every concrete column, defaults from the model."""

    def __init__(self, cursor, model) -> None:
        from django.db import connection, models

        self.cursor, self.model = cursor, model
        fields = [
            f for f in model._meta.concrete_fields if not isinstance(f, models.GeneratedField)
        ]
        self.attnames = [f.attname for f in fields]
        self.columns = [f.column for f in fields]
        self.defaults: list[Any] = []
        self.required: set[str] = set()
        for f in fields:
            # What Django's INSERT would write: the default, "" for a string field without one.
            default = f.get_default()
            if default is None:
                value = None
                if not f.null:
                    self.required.add(f.attname)
            elif isinstance(f, models.JSONField):
                value = json.dumps(default)
            else:
                value = f.get_db_prep_save(default, connection)
            self.defaults.append(value)

    def copy(self, rows: Iterable[dict[str, Any]]) -> int:
        from django.db import connection

        table = connection.ops.quote_name(self.model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        known = set(self.attnames)
        count = 0
        with self.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                if count == 0:
                    missing = self.required - row.keys()
                    if missing:
                        raise RuntimeError(
                            f"benchmarks/desk_seed.py writes no value for {table}."
                            f"{', '.join(sorted(missing))} (no default): add it to the seeding"
                        )
                    unknown = row.keys() - known
                    if unknown:
                        raise RuntimeError(f"{table} has no column for {sorted(unknown)}")
                copy.write_row(
                    [row.get(a, d) for a, d in zip(self.attnames, self.defaults, strict=True)]
                )
                count += 1
        return count


def _drop_secondary_indexes(cursor, tables: Sequence[str]) -> list[str]:
    """Drop the tables' indexes that back no constraint; return the statements that rebuild
    them. (Primary keys and unique constraints stay: COPY checks them as it goes.)"""
    cursor.execute(
        """
        SELECT i.indexname, i.indexdef FROM pg_indexes i
        JOIN pg_class c ON c.relname = i.indexname AND c.relkind = 'i'
        WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid)
        """,
        [list(tables)],
    )
    rows = cursor.fetchall()
    for name, _ in rows:
        cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _, definition in rows]


def seed(claims: int, articles: int, claimants: int) -> None:
    """Write a desk of this shape into the (migrated, empty) database Django is connected to."""
    from django.contrib.auth.models import Group, User
    from django.db import connection, transaction
    from django.utils import timezone

    from factdesk.articles.models import Article, Outlet
    from factdesk.claims.models import (
        Activity,
        Claim,
        Claimant,
        ClaimTopic,
        Comment,
        OutletStatusCount,
        Rating,
        RatingScale,
        SearchWord,
        StatusCount,
        Topic,
        TopicStatusCount,
        Verdict,
    )
    from factdesk.claims.ratings import ensure_default_scale
    from factdesk.notifications.models import Follow, Notification

    started = time.monotonic()
    rng = random.Random(7)
    writer = Writer(rng)
    sentence = writer.sentence
    now = timezone.now()
    desk_start = now - datetime.timedelta(days=DESK_DAYS)

    scale = ensure_default_scale(RatingScale, Rating)
    rating_ids = list(scale.ratings.values_list("id", flat=True))
    people = []
    roles = ["reporter"] * 10 + ["editor"] * 7 + ["publisher"] * 3
    for index, role in enumerate(roles):
        user, _ = User.objects.get_or_create(
            username=f"bench{index}",
            defaults={
                "first_name": rng.choice(FIRST.split()),
                "last_name": rng.choice(LAST.split()),
            },
        )
        user.groups.add(Group.objects.get_or_create(name=role)[0])
        people.append(user.pk)
    editors = people[10:]
    outlet_ids = [
        o.pk
        for o in Outlet.objects.bulk_create(
            [Outlet(name=f"Outlet {i}", domain=f"outlet{i}.example") for i in range(50)]
        )
    ]

    def when(index: int, count: int) -> datetime.datetime:
        """Spread `count` rows over the desk's years, in id order, with some jitter."""
        fraction = (index + rng.random()) / count
        return desk_start + datetime.timedelta(seconds=fraction * DESK_DAYS * 86400)

    def plant_every(count: int) -> dict[int, str]:
        """Which rows carry a rare word: a few per word, however large the desk."""
        per_word = max(3, count // 25_000)
        rows = rng.sample(range(1, count + 1), per_word * len(RARE_WORDS))
        return {row: RARE_WORDS[i // per_word] for i, row in enumerate(rows)}

    claim_model_has_outlet = any(f.name == "outlet" for f in Claim._meta.get_fields())
    # Topics as a desk files claims: a few big ones ("Economy" holds about a fifth of the
    # filed claims) and a long tail (1/rank); most claims have one, some two, some none.
    topic_ids = [t.pk for t in Topic.objects.bulk_create([Topic(name=name) for name in TOPICS])]
    topic_weights = [1 / rank for rank in range(1, len(topic_ids) + 1)]
    due_days = [14, 7, 3, 1]  # settings.DUE_DAYS' defaults, by priority
    seeded_models = (
        Claimant,
        Article,
        Claim,
        Verdict,
        Activity,
        Comment,
        ClaimTopic,
        Follow,
        Notification,
    )
    tables = [m._meta.db_table for m in seeded_models]
    with transaction.atomic(), connection.cursor() as wrapper:
        cursor = wrapper.cursor  # psycopg's own cursor, for copy()
        cursor.execute("SET LOCAL session_replication_role = replica")  # no FK triggers
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        rebuild = _drop_secondary_indexes(cursor, tables)

        first, last = FIRST.split(), LAST.split()
        Table(cursor, Claimant).copy(
            {
                "id": i,
                "name": f"{rng.choice(first)} {rng.choice(last)} {i}",
                "kind": "person" if rng.random() < 0.8 else "organisation",
                "description": sentence(5) if rng.random() < 0.5 else "",
                "created_at": (t := when(i, claimants)),
                "updated_at": t,
            }
            for i in range(1, claimants + 1)
        )
        print(f"  claimants {claimants:,} ({time.monotonic() - started:.0f} s)", flush=True)

        # Article texts stay in memory: claims quote them at offsets.
        article_text: list[str] = [""]
        article_outlet: list[int] = [0]
        article_planted = plant_every(articles)

        def article_rows():
            for i in range(1, articles + 1):
                paragraphs = [sentence(rng.randint(15, 30)) for _ in range(12)]
                if i in article_planted:
                    paragraphs[rng.randrange(12)] = sentence(20, plant=article_planted[i])
                text = "\n\n".join(paragraphs)
                outlet = rng.choice(outlet_ids)
                article_text.append(text)
                article_outlet.append(outlet)
                t = when(i, articles)
                yield {
                    "id": i,
                    "title": sentence(8),
                    "text": text,
                    "outlet_id": outlet,
                    "published_on": t.date(),
                    "added_by_id": rng.choice(people),
                    "created_at": t,
                    "updated_at": t,
                }

        Table(cursor, Article).copy(article_rows())
        print(f"  articles {articles:,} ({time.monotonic() - started:.0f} s)", flush=True)

        statuses, weights = zip(*STATUS_WEIGHTS.items(), strict=True)
        claim_planted = plant_every(claims)
        verdicts: list[dict[str, Any]] = []
        activities: list[dict[str, Any]] = []
        comments: list[dict[str, Any]] = []
        claim_topics: list[dict[str, Any]] = []
        follows: list[dict[str, Any]] = []
        notifications: list[dict[str, Any]] = []
        counters = dict.fromkeys(
            ("verdict", "activity", "comment", "claimtopic", "follow", "notification"), 0
        )
        verdict_table, activity_table = Table(cursor, Verdict), Table(cursor, Activity)
        comment_table, claim_topic_table = Table(cursor, Comment), Table(cursor, ClaimTopic)
        follow_table, notification_table = Table(cursor, Follow), Table(cursor, Notification)

        def flush() -> None:
            verdict_table.copy(verdicts)
            activity_table.copy(activities)
            comment_table.copy(comments)
            claim_topic_table.copy(claim_topics)
            follow_table.copy(follows)
            notification_table.copy(notifications)
            for rows in (verdicts, activities, comments, claim_topics, follows, notifications):
                rows.clear()

        def notify(claim_id, recipient, actor, kind, text, at) -> None:
            """One notification; all but the last weeks' are read, as on a desk in use."""
            notifications.append(
                {
                    "id": (number := next_id("notification")),
                    "recipient_id": recipient,
                    "kind": kind,
                    "claim_id": claim_id,
                    "actor_id": actor,
                    "text": text,
                    "key": f"seed-{number}",
                    "created_at": at,
                    "read_at": at if (now - at).days > 21 or rng.random() < 0.5 else None,
                }
            )

        def next_id(kind: str) -> int:
            counters[kind] += 1
            return counters[kind]

        def log(claim_id, actor, action, summary, changes, at):
            activities.append(
                {
                    "id": next_id("activity"),
                    "actor_id": actor,
                    "action": action,
                    "claim_id": claim_id,
                    "target_type": "claim",
                    "target_id": claim_id,
                    "summary": summary,
                    "changes": json.dumps(changes),
                    "created_at": at,
                }
            )

        def claim_rows():
            for i in range(1, claims + 1):
                status = rng.choices(statuses, weights)[0]
                if status == "duplicate" and i == 1:
                    status = "new"
                article = rng.randint(1, articles)
                text_of_article = article_text[article]
                start = rng.randint(0, 200)
                created = when(i, claims)
                author = rng.choice(people)
                assignee = rng.choice(people) if rng.random() < 0.8 else None
                text = sentence(rng.randint(8, 16), plant=claim_planted.get(i))
                changed = created + datetime.timedelta(hours=rng.randint(1, 24 * 20))
                if changed > now:
                    changed = now
                row = {
                    "id": i,
                    "article_id": article,
                    "quote": text_of_article[start : start + 60],
                    "quote_start": start,
                    "quote_end": start + 60,
                    "text": text,
                    "claimant_id": rng.randint(1, claimants),
                    "claimed_on": created.date(),
                    "status": status,
                    "status_changed_at": changed,
                    "dismiss_reason": "other" if status == "dismissed" else "",
                    "duplicate_of_id": rng.randint(1, i - 1) if status == "duplicate" else None,
                    "assignee_id": assignee,
                    "priority": (priority := rng.choices([0, 1, 2, 3], [20, 60, 15, 5])[0]),
                    "due_date": created.date() + datetime.timedelta(days=due_days[priority]),
                    "created_by_id": author,
                    "created_at": created,
                    "updated_at": changed,
                }
                if claim_model_has_outlet:
                    row["outlet_id"] = article_outlet[article]
                filed = rng.choices([0, 1, 2], [10, 70, 20])[0]
                for topic in set(rng.choices(topic_ids, topic_weights, k=filed)):
                    claim_topics.append(
                        {"id": next_id("claimtopic"), "claim_id": i, "topic_id": topic}
                    )
                log(i, author, "claim.created", "logged the claim", {"text": [None, text]}, created)
                # Who logged it follows it, and so does whoever it is assigned to (told so).
                for follower in {author, assignee} - {None}:
                    follow = {"id": next_id("follow"), "user_id": follower, "claim_id": i}
                    follows.append({**follow, "created_at": created})
                if assignee:
                    log(i, author, "claim.assigned", "assigned the claim", {}, created)
                    if assignee != author:
                        notify(i, assignee, author, "assigned", "assigned you a claim", created)
                if status in PUBLISHED and author != assignee:
                    notify(i, author, assignee, "followed", "published a claim you follow", changed)
                if status != "new":
                    log(
                        i,
                        assignee or author,
                        f"status.{status}",
                        f"moved it to {status}",
                        {"status": ["new", status]},
                        changed,
                    )
                if status in WITH_VERDICT:
                    rating = rng.choice(rating_ids)
                    published = changed if status in PUBLISHED else None
                    verdicts.append(
                        {
                            "id": next_id("verdict"),
                            "claim_id": i,
                            "number": 1,
                            "rating_id": rating,
                            "conclusion": sentence(8),
                            "explanation": sentence(40),
                            "author_id": assignee or author,
                            "created_at": created + (changed - created) / 2,
                            "published_at": published,
                        }
                    )
                    if status == "corrected":
                        rating = rng.choice(rating_ids)
                        verdicts.append(
                            {
                                "id": next_id("verdict"),
                                "claim_id": i,
                                "number": 2,
                                "rating_id": rating,
                                "conclusion": sentence(8),
                                "explanation": sentence(40),
                                "correction_note": sentence(12),
                                "author_id": rng.choice(editors),
                                "created_at": changed,
                                "published_at": changed,
                            }
                        )
                    row["current_rating_id"] = rating
                    if published:
                        row["published_at"] = published
                if status != "new" and rng.random() < 0.3:
                    for _ in range(rng.randint(1, 3)):
                        comments.append(
                            {
                                "id": next_id("comment"),
                                "claim_id": i,
                                "author_id": rng.choice(people),
                                "body": sentence(rng.randint(6, 30)),
                                "created_at": changed,
                            }
                        )
                yield row
                if i % 50_000 == 0:
                    print(
                        f"  claims {i:,}/{claims:,} ({time.monotonic() - started:.0f} s)",
                        end="\r",
                        flush=True,
                    )

        # Claims go in batches so that their verdicts, activities and comments (collected
        # as each claim is made) are written between them.
        rows = claim_rows()
        claim_table = Table(cursor, Claim)
        while claim_table.copy(itertools.islice(rows, 50_000)):
            flush()
        print(
            f"\n  claims written ({time.monotonic() - started:.0f} s); rebuilding "
            f"{len(rebuild)} indexes",
            flush=True,
        )
        for statement in rebuild:
            cursor.execute(statement)
        # What the claims' triggers keep, which the load (triggers off) did not.
        cursor.execute(StatusCount.RECOUNT_SQL)
        cursor.execute(SearchWord.REFILL_SQL)
        cursor.execute(TopicStatusCount.RECOUNT_SQL)
        cursor.execute(OutletStatusCount.RECOUNT_SQL)
        for model in seeded_models:
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT coalesce(max(id), 0) + 1 "  # noqa: S608
                f"FROM {table}), false)",
                [table],
            )
        cursor.execute(
            f"CREATE TABLE {MARKER_TABLE} (claims int, articles int, claimants int, version int, "
            "seconds float, seeded_at timestamptz DEFAULT now())"
        )
        cursor.execute(
            f"INSERT INTO {MARKER_TABLE} VALUES (%s, %s, %s, %s, %s)",  # noqa: S608
            [claims, articles, claimants, SEED_VERSION, time.monotonic() - started],
        )
    print(f"Seeded in {time.monotonic() - started:.0f} s.")


def seeded_seconds() -> float | None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT seconds FROM {MARKER_TABLE}")  # noqa: S608
        row = cursor.fetchone()
    return row[0] if row else None
