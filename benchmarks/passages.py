"""Which ranking finds the passage that matters: PostgreSQL's full-text ranking or BM25?

    .venv/bin/python benchmarks/passages.py ../shared/eval/claim-matching

The claim page ranks a source's passages against the claim. This measures ranking functions
on a public task of the same shape: for each query (a tweet making a claim) rank 10,375
verified-claim texts (claim and title) and see whether the one the judges matched comes
first (CLEF CheckThat! 2020 task 2, dev queries; MAP@5 and MRR). Every method reads the same
words: PostgreSQL's stemmed, accent-free `factdesk` configuration turns texts into lexemes,
so only the ranking differs.

- ts_rank_cd, ts_rank: PostgreSQL ranks documents matching the query's lexemes joined
  with OR (what factdesk.sources.passages did first).
- BM25 (what it does now).
- BM25 (k1 1.2, b 0.75) over the same lexemes and term counts.

Runs in one process against the embedded PostgreSQL under var/bench/ (a temporary table;
the desk's own tables are not touched) unless DATABASE_URL is set.
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
csv.field_size_limit(10**7)


# The claim's words joined with OR, documents ranked by PostgreSQL's function RANK.
RANKED = (
    "WITH q AS (SELECT replace(plainto_tsquery('factdesk', %s)::text, '&', '|')::tsquery "
    "AS query) SELECT id FROM bench_docs, q WHERE tsv @@ q.query "
    "ORDER BY RANK(tsv, q.query) DESC, id LIMIT 5"
)


def read_tsv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle, delimiter="\t"))[1:]  # quoted fields span lines


def average_precision_at(ranked: list[str], relevant: set[str], depth: int = 5) -> float:
    hits, total = 0, 0.0
    for place, doc in enumerate(ranked[:depth], start=1):
        if doc in relevant:
            hits += 1
            total += hits / place
    return total / min(len(relevant), depth) if relevant else 0.0


def reciprocal_rank(ranked: list[str], relevant: set[str]) -> float:
    return next((1 / place for place, doc in enumerate(ranked, 1) if doc in relevant), 0.0)


class BM25:
    """The same formula as factdesk.sources.passages.bm25_scores, over an inverted index
    (10,000 documents here, a few dozen passages there)."""

    def __init__(self, docs: dict[str, Counter], k1: float = 1.2, b: float = 0.75) -> None:
        self.docs, self.k1, self.b = docs, k1, b
        self.lengths = {doc: sum(terms.values()) for doc, terms in docs.items()}
        self.average = sum(self.lengths.values()) / len(docs)
        self.postings: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for doc, terms in docs.items():
            for term, count in terms.items():
                self.postings[term].append((doc, count))
        total = len(docs)
        self.idf = {
            term: math.log(1 + (total - len(hits) + 0.5) / (len(hits) + 0.5))
            for term, hits in self.postings.items()
        }

    def rank(self, query: Counter, depth: int = 5) -> list[str]:
        scores: Counter = Counter()
        for term in query:
            for doc, count in self.postings.get(term, ()):
                norm = self.k1 * (1 - self.b + self.b * self.lengths[doc] / self.average)
                scores[doc] += self.idf[term] * count * (self.k1 + 1) / (count + norm)
        return [doc for doc, _ in scores.most_common(depth)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="verified_claims.tsv and dev/")
    args = parser.parse_args()
    claims = {row[0]: f"{row[1]} {row[2]}" for row in read_tsv(args.folder / "verified_claims.tsv")}
    queries = {row[0]: row[1] for row in read_tsv(args.folder / "dev" / "tweets.queries.tsv")}
    relevant: dict[str, set[str]] = defaultdict(set)
    for line in (args.folder / "dev" / "tweet-vclaim-pairs.qrels").read_text().splitlines():
        query_id, _, doc_id, judged = line.split()
        if judged == "1":
            relevant[query_id].add(doc_id)
    queries = {key: text for key, text in queries.items() if key in relevant}

    from factdesk.core.embedded import embedded_services

    with embedded_services("bench"):
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factdesk.settings")
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)  # the `factdesk` text-search configuration
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMP TABLE bench_docs (id text PRIMARY KEY, body text, tsv tsvector)"
            )
            cursor.executemany(
                "INSERT INTO bench_docs VALUES (%s, %s, to_tsvector('factdesk', %s))",
                [(doc, body, body) for doc, body in claims.items()],
            )
            cursor.execute("CREATE INDEX ON bench_docs USING gin (tsv)")
            cursor.execute("ANALYZE bench_docs")
            # The lexemes and their counts, as PostgreSQL reads them, for BM25.
            cursor.execute(
                "SELECT id, lexeme, coalesce(array_length(positions, 1), 1) "
                "FROM bench_docs, unnest(tsv)"
            )
            docs: dict[str, Counter] = defaultdict(Counter)
            for doc, lexeme, count in cursor.fetchall():
                docs[doc][lexeme] = count
            lexemes: dict[str, Counter] = {}
            for key, text in queries.items():
                cursor.execute(
                    "SELECT lexeme, coalesce(array_length(positions, 1), 1) "
                    "FROM unnest(to_tsvector('factdesk', %s))",
                    [text],
                )
                lexemes[key] = Counter(dict(cursor.fetchall()))

            def postgres(function: str):
                sql = RANKED.replace("RANK", function)

                def rank(key: str) -> list[str]:
                    cursor.execute(sql, [queries[key]])
                    return [row[0] for row in cursor.fetchall()]

                return rank

            bm25 = BM25(docs)
            methods = {
                "PostgreSQL ts_rank_cd": postgres("ts_rank_cd"),
                "PostgreSQL ts_rank": postgres("ts_rank"),
                "BM25 (k1 1.2, b 0.75)": lambda key: bm25.rank(lexemes[key]),
            }
            print(f"{len(queries)} queries against {len(claims):,} verified claims\n")
            print(f"{'ranking':26} {'MAP@5':>7} {'MRR@5':>7} {'ms/query':>9}")
            for name, rank in methods.items():
                started = time.perf_counter()
                results = {key: rank(key) for key in queries}
                elapsed = (time.perf_counter() - started) / len(queries) * 1000
                ap = sum(average_precision_at(results[k], relevant[k]) for k in queries)
                rr = sum(reciprocal_rank(results[k], relevant[k]) for k in queries)
                print(f"{name:26} {ap / len(queries):7.3f} {rr / len(queries):7.3f} {elapsed:9.1f}")


if __name__ == "__main__":
    main()
