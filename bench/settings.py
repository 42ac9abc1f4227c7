"""Benchmark settings: the production settings unchanged, plus one reference URL (``bench.urls``).

The reference lives only here, so no normal deployment can ever serve it.
"""

from backpain.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
