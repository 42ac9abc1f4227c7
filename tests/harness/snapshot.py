"""Shipped content, loaded for real once per test process and copied into each later test's database.

``load_site_content`` takes over a second (it parses the YAML, renders Markdown, checks every fingerprint
and writes history); the three hundred tests that need the shipped site or its self-check would spend most
of their time in it. The first such test in a process runs the loading commands for real and a
``ContentSnapshot`` records every row they added, changed or removed, model by model; each later test gets
those rows written back in one ``executemany`` per table, inside its own transaction, so it rolls back as
before. If the rows cannot be written (the test made something that clashes before asking for the
content), the test gets a real load instead.
"""

import io

from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import DatabaseError, connection, transaction


def _models():
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and not model._meta.swapped
    ]


def _rows(model):
    fields = model._meta.concrete_fields
    pk = [field.attname for field in fields].index(model._meta.pk.attname)
    values = model._base_manager.values_list(*[field.attname for field in fields])
    return {row[pk]: row for row in values}


class ContentSnapshot:
    """What some loading commands write, kept as rows: ``load()`` gives the current test what they would."""

    def __init__(self, *commands):
        self.commands = commands
        self.changes = None  # {model: (rows to insert, rows to update, primary keys to delete)}

    def load(self):
        if self.changes is not None:
            try:
                with transaction.atomic():
                    self._apply()
                return
            except DatabaseError:
                pass  # a clash with what this test made first: load for real below, inside the test's transaction
            self._load_for_real()
            return
        before = {model: _rows(model) for model in _models()}
        self._load_for_real()
        changes = {}
        for model, old in before.items():
            new = _rows(model)
            inserted = [row for key, row in new.items() if key not in old]
            updated = [row for key, row in new.items() if key in old and old[key] != row]
            deleted = [key for key in old if key not in new]
            if inserted or updated or deleted:
                changes[model] = (inserted, updated, deleted)
        self.changes = changes

    def _load_for_real(self):
        for command in self.commands:
            call_command(command, stdout=io.StringIO())

    def _apply(self):
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            for model, (inserted, updated, deleted) in self.changes.items():
                fields = model._meta.concrete_fields
                table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
                columns = [quote(field.column) for field in fields]

                def prepared(row, fields=fields):
                    return [field.get_db_prep_save(value, connection) for field, value in zip(fields, row, strict=True)]

                if deleted:
                    cursor.executemany(f"DELETE FROM {table} WHERE {pk} = %s", [[key] for key in deleted])  # noqa: S608
                if updated:
                    assignments = ", ".join(f"{column} = %s" for column in columns)
                    key_index = [field.attname for field in fields].index(model._meta.pk.attname)
                    cursor.executemany(
                        f"UPDATE {table} SET {assignments} WHERE {pk} = %s",  # noqa: S608
                        [[*prepared(row), prepared(row)[key_index]] for row in updated],
                    )
                if inserted:
                    placeholders = ", ".join(["%s"] * len(columns))
                    cursor.executemany(
                        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})",  # noqa: S608
                        [prepared(row) for row in inserted],
                    )
            for statement in connection.ops.sequence_reset_sql(no_style(), list(self.changes)):
                cursor.execute(statement)


site_snapshot = ContentSnapshot("load_site_content")
selfcheck_snapshot = ContentSnapshot("load_muscles_content", "load_selfcheck_content")
