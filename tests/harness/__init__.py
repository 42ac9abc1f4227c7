"""The test harness: what tests and ``bench/`` share to run the site for real and to attack it.

- ``services``: throwaway PostgreSQL and Redis servers, free ports (``python -m tests.harness.services run``).
- ``servers``: the site under gunicorn in production mode, its environment, database and ``manage.py``.
- ``clients``: the HTTP clients: a visitor with cookies who reads and fills in forms, and raw bytes on a socket.
- ``drills``: many visitors at once, and a count of what the site stored (``bench/load.py`` is its command).
- ``payloads``: hostile markup (cross-site scripting attempts) and a check that HTML is inert.
- ``fuzzing``: hostile text for property tests, and a form read from a page as a browser would send it.
- ``editing``: the edit marker an admin change form carries, for forms a test writes by hand.
- ``uploads``: small valid videos, captions and pictures, and hostile files dressed up as them.

Nothing here imports ``bench``; ``bench`` imports from here.
"""
