"""Django's database sessions, with the read every request makes in plain SQL (``SESSION_ENGINE``).

A self-check step or result reads its reader's session on every view and is never cached. Building the ORM
query for that read costs several times more than running it, and was the largest part of a result view
outside its template. This store reads the same row with the same conditions (this key, not expired) in one
prepared statement; every other part (saving, creating, deleting, ``clearsessions``) is Django's own.
"""

from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
from django.db import connections, router
from django.utils import timezone


class SessionStore(DatabaseStore):
    def _get_session_from_db(self):
        model = self.model
        using = router.db_for_read(model)
        connection = connections[using]
        table = connection.ops.quote_name(model._meta.db_table)
        key, data, expires = (
            connection.ops.quote_name(name) for name in ("session_key", "session_data", "expire_date")
        )
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {data} FROM {table} WHERE {key} = %s AND {expires} > %s",  # noqa: S608 (the names are ours)
                [self.session_key, now],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return model(session_key=self.session_key, session_data=row[0])
