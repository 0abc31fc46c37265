"""The whole desk as one file, and back: every row of every model (the audit trail
included) as JSON Lines in a ZIP, with the archived bodies when asked. The format is
documented in docs/export.md, which is also inside each export (README.md).

An export is read in one REPEATABLE READ transaction, so it is one moment of the desk even
while people work. An import goes into an empty desk in one transaction: all of it, or
nothing. Tables the database keeps up to date itself (status and topic counts, the search
words, kept by triggers) and what the desk recomputes (embeddings, made again by the
`embed_missing` sweep) are not exported; neither are idempotency keys, which only matter for
a few minutes.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.python import Deserializer
from django.core.serializers.python import Serializer as PythonSerializer
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone

from factdesk.core.errors import DeskError
from factdesk.intake.models import FeedImport
from factdesk.sources.fetching import body_path
from factdesk.sources.models import Snapshot, Source

FORMAT = "factdesk-desk-export"
VERSION = 1
DERIVED = {
    "claims.statuscount",
    "claims.topicstatuscount",
    "claims.searchword",
    "intake.claimembedding",
    "intake.factcheckembedding",
    "core.idempotencykey",
}
# A desk with any of these is not empty: an import would mix two newsrooms.
CONTENT = ("auth.user", "claims.claim", "articles.article", "sources.source", "claims.activity")
BATCH = 1000
SCHEMA_DOC = Path(__file__).resolve().parents[2] / "docs" / "export.md"

Progress = Callable[[str, int, int], None]  # (what, done, total)


def _quiet(what: str, done: int, total: int) -> None:
    pass


def exported_models() -> list[type[models.Model]]:
    """The desk's models, people and roles, in a fixed order (dependencies first)."""
    wanted = []
    for config in apps.get_app_configs():
        if config.name.startswith("factdesk.") or config.label == "auth":
            for model in config.get_models():
                label = model._meta.label_lower
                if label in DERIVED or label == "auth.permission":
                    continue
                if model._meta.proxy or not model._meta.managed:
                    continue
                wanted.append(model)
    return wanted


def _field_names(model: type[models.Model]) -> list[str]:
    local = [f.name for f in model._meta.local_fields if not getattr(f, "generated", False)]
    many = [
        f.name
        for f in model._meta.local_many_to_many
        if f.remote_field.through._meta.auto_created  # type: ignore[union-attr]
    ]
    return [name for name in local + many if name != model._meta.pk.name]


class _Encoder(DjangoJSONEncoder):
    """Django's JSON, but times to the microsecond (Django's rounds them to milliseconds, as
    JavaScript reads them; an export keeps them exactly)."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class _Hashing:
    """A writable stream that hashes and counts what passes through."""

    def __init__(self, out: IO[bytes]) -> None:
        self.out = out
        self.sha256 = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self.sha256.update(data)
        self.size += len(data)
        return self.out.write(data)


class _LineWriter(PythonSerializer):
    """Django's own serializer, one JSON line per row as it is read (not a list in memory)."""

    def __init__(self, out: _Hashing, on_row: Callable[[], None]) -> None:
        super().__init__()
        self.out = out
        self.on_row = on_row

    def end_object(self, obj: models.Model) -> None:
        row = self.get_dump_object(obj)
        line = {"pk": row["pk"], "fields": row["fields"]}
        self.out.write(json.dumps(line, cls=_Encoder, ensure_ascii=False).encode() + b"\n")
        self._current = None
        self.on_row()


def _archived_paths() -> Iterator[str]:
    """Storage paths of the archived bodies: snapshots, uploads and feeds, each once."""
    seen: set[str] = set()
    for path in Snapshot.objects.values_list("body", flat=True).iterator():
        if path not in seen:
            seen.add(path)
            yield path
    uploads = Source.objects.filter(canonical_url__startswith="upload:")
    for canonical in uploads.values_list("canonical_url", flat=True).iterator():
        path = body_path(canonical.removeprefix("upload:"))
        if path not in seen:
            seen.add(path)
            yield path
    for path in FeedImport.objects.exclude(body="").values_list("body", flat=True).iterator():
        if path not in seen:
            seen.add(path)
            yield path


def desk_export(
    target: IO[bytes] | str | Path, *, with_archives: bool = False, progress: Progress = _quiet
) -> dict[str, int]:
    """Write the desk to `target` as a ZIP; returns the rows written per model."""
    counts: dict[str, int] = {}
    files: dict[str, dict[str, Any]] = {}
    outermost = not connection.in_atomic_block  # inside a caller's transaction, it is theirs
    with transaction.atomic(), zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        if outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        for model in exported_models():
            label = model._meta.label_lower
            total = model._base_manager.count()
            name = f"data/{label}.jsonl"
            done = 0

            def row_done(label: str = label, total: int = total) -> None:
                nonlocal done
                done += 1
                if done % BATCH == 0 or done == total:
                    progress(label, done, total)

            with archive.open(name, "w", force_zip64=True) as raw:
                out = _Hashing(raw)
                rows = model._base_manager.order_by("pk").iterator(chunk_size=BATCH)
                _LineWriter(out, row_done).serialize(rows, fields=_field_names(model))
            counts[label] = done
            files[name] = {"rows": done, "sha256": out.sha256.hexdigest(), "bytes": out.size}
            progress(label, done, total)
        bodies = 0
        if with_archives:
            paths = list(_archived_paths())
            for number, path in enumerate(paths, start=1):
                if not default_storage.exists(path):
                    continue  # listed on a row, gone from storage: the import says so too
                with default_storage.open(path, "rb") as stored:
                    body = stored.read()
                name = f"archives/{path}"
                archive.writestr(name, body)
                files[name] = {"sha256": hashlib.sha256(body).hexdigest(), "bytes": len(body)}
                bodies += 1
                progress("archived bodies", number, len(paths))
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "exported_at": timezone.now().isoformat(),
            "with_archives": with_archives,
            "models": [model._meta.label_lower for model in exported_models()],
            "files": files,
        }
        archive.writestr("manifest.json", json.dumps(manifest, indent=1))
        if SCHEMA_DOC.exists():
            archive.write(SCHEMA_DOC, "README.md")
    counts["archived bodies"] = bodies
    return counts


@dataclass
class ImportReport:
    rows: dict[str, int] = field(default_factory=dict)
    bodies: int = 0


def _open(path: str | Path) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise DeskError(f"This is not a desk export: it is not a ZIP file ({error}).") from None
    return archive


def _manifest(archive: zipfile.ZipFile) -> dict[str, Any]:
    try:
        manifest = json.loads(archive.read("manifest.json"))
    except KeyError:
        raise DeskError("This ZIP is not a desk export: it has no manifest.json.") from None
    except ValueError:
        raise DeskError("The export's manifest.json is not valid JSON.") from None
    if manifest.get("format") != FORMAT:
        raise DeskError("This ZIP is not a factdesk desk export (its manifest says otherwise).")
    if manifest.get("version") != VERSION:
        raise DeskError(
            f"This export is of format version {manifest.get('version')}; this desk reads "
            f"version {VERSION}."
        )
    return manifest


def _verify(archive: zipfile.ZipFile, manifest: dict[str, Any]) -> None:
    """Every file the manifest lists is there, whole (SHA-256), before anything is written."""
    for name, expected in manifest["files"].items():
        digest = hashlib.sha256()
        try:
            with archive.open(name) as stream:
                while chunk := stream.read(1 << 20):
                    digest.update(chunk)
        except KeyError:
            raise DeskError(f"The export is missing {name}.") from None
        except (zipfile.BadZipFile, OSError) as error:
            raise DeskError(f"The export's {name} cannot be read: {error}.") from None
        if digest.hexdigest() != expected["sha256"]:
            raise DeskError(f"The export's {name} is damaged: its checksum does not match.")


def _check_empty() -> None:
    for label in CONTENT:
        model = apps.get_model(label)
        if model._base_manager.exists():
            raise DeskError(
                f"This desk is not empty (it has {model._meta.verbose_name_plural}): a desk "
                "export goes into a new, empty desk only."
            )


def _rows(archive: zipfile.ZipFile, label: str) -> Iterator[dict[str, Any]]:
    with archive.open(f"data/{label}.jsonl") as stream:
        for line in stream:
            row = json.loads(line)
            yield {"model": label, "pk": row["pk"], "fields": row["fields"]}


def _insert(model: type[models.Model], batch: list[Any]) -> None:
    # A raw insert, as loaddata's: every value as exported (bulk_create would stamp the
    # auto_now fields with the time of the import).
    columns = [f for f in model._meta.concrete_fields if not getattr(f, "generated", False)]
    objects = [item.object for item in batch]
    model._base_manager._insert(objects, fields=columns, raw=True)  # type: ignore[attr-defined]
    for name in {name for item in batch for name in item.m2m_data}:
        relation = model._meta.get_field(name)
        through = relation.remote_field.through  # type: ignore[union-attr]
        source = relation.m2m_field_name() + "_id"  # type: ignore[union-attr]
        target = relation.m2m_reverse_field_name() + "_id"  # type: ignore[union-attr]
        links = [
            through(**{source: item.object.pk, target: other})
            for item in batch
            for other in item.m2m_data.get(name, [])
        ]
        through._base_manager.bulk_create(links)  # ids and foreign keys only


def desk_import(path: str | Path, *, progress: Progress = _quiet) -> ImportReport:
    """Load an export into this desk, which must be empty. Checks the whole file first;
    writes the rows in one transaction and the archived bodies (content-addressed, so
    writing one twice is harmless) before it commits."""
    report = ImportReport()
    with _open(path) as archive:
        manifest = _manifest(archive)
        _verify(archive, manifest)
        known = {model._meta.label_lower: model for model in exported_models()}
        unknown = [label for label in manifest["models"] if label not in known]
        if unknown:
            raise DeskError(
                f"The export has {', '.join(unknown)}, which this desk does not know: import "
                "it into a desk of the same or a newer version."
            )
        _check_empty()
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                # What the migrations put in a new desk (the roles, the default rating
                # scale) makes way for the export's own rows, ids and all.
                for label in reversed(manifest["models"]):
                    known[label]._base_manager.all().delete()
                for label in manifest["models"]:
                    model = known[label]
                    total = manifest["files"][f"data/{label}.jsonl"]["rows"]
                    batch: list[Any] = []
                    done = 0
                    for item in Deserializer(_rows(archive, label), ignorenonexistent=True):
                        batch.append(item)
                        if len(batch) == BATCH:
                            _insert(model, batch)
                            done += len(batch)
                            batch = []
                            progress(label, done, total)
                    if batch:
                        _insert(model, batch)
                        done += len(batch)
                    report.rows[label] = done
                    progress(label, done, total)
                with connection.cursor() as cursor:
                    for statement in connection.ops.sequence_reset_sql(
                        no_style(), list(known.values())
                    ):
                        cursor.execute(statement)
                bodies = [name for name in manifest["files"] if name.startswith("archives/")]
                for number, name in enumerate(bodies, start=1):
                    stored = name.removeprefix("archives/")
                    if not default_storage.exists(stored):
                        default_storage.save(stored, ContentFile(archive.read(name)))
                    report.bodies += 1
                    progress("archived bodies", number, len(bodies))
        except DatabaseError as error:
            raise DeskError(f"The export could not be loaded, so nothing was: {error}") from None
    return report
