"""The SQLite search index's row ids put the kind first (kind | day | document id | audience)
instead of the day (day | kind | audience | document id): each kind is one range of row ids,
so that counting and ranking read one kind's matches without going through all of them."""

# ruff: noqa: S608 - the SQL is built from this module's constants only.
from django.db import migrations

TO_NEW = (
    "((({r} >> 36) & 15) << 52) | ((({r} >> 40) & 65535) << 36) "
    "| (({r} & 17179869183) << 2) | (({r} >> 34) & 3)"
)
TO_OLD = (
    "((({r} >> 36) & 65535) << 40) | ((({r} >> 52) & 15) << 36) "
    "| (({r} & 3) << 34) | (({r} >> 2) & 17179869183)"
)
# As in 0003_search_index.
FTS_COLUMNS = (
    "title, tags, body, facets, tokenize = \"unicode61 remove_diacritics 0 tokenchars '_'\""
)


def _repack(schema_editor, formula: str) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    # A new table filled in one pass (updating row ids in place would re-index every row).
    schema_editor.execute(
        f"CREATE VIRTUAL TABLE core_search_fts_repacked USING fts5({FTS_COLUMNS})"
    )
    schema_editor.execute(
        "INSERT INTO core_search_fts_repacked (rowid, title, tags, body, facets) "
        f"SELECT {formula.format(r='rowid')}, title, tags, body, facets FROM core_search_fts"
    )
    schema_editor.execute("DROP TABLE core_search_fts")
    schema_editor.execute("ALTER TABLE core_search_fts_repacked RENAME TO core_search_fts")
    schema_editor.execute("INSERT INTO core_search_fts (core_search_fts) VALUES ('optimize')")
    schema_editor.execute(
        f"UPDATE core_searchdocument SET fts_rowid = {formula.format(r='fts_rowid')} "
        "WHERE fts_rowid IS NOT NULL"
    )


def forwards(apps, schema_editor):
    _repack(schema_editor, TO_NEW)


def backwards(apps, schema_editor):
    _repack(schema_editor, TO_OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_search_index"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
