"""One least-recently-used map, for the search's caches and the columns of each database.

Entries are keyed by database and search stamp (app.search.index.search_stamp): the stamp
changes with every write, in whichever process makes it, so an entry is never served for
data it was not computed from.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from sqlmodel import Session

V = TypeVar("V")


class LRU(Generic[V]):
    """At most ``size`` entries, the least recently used out first; safe across threads."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def put(self, key: Hashable, value: V) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def database_key(session: Session) -> str:
    return session.get_bind().url.render_as_string()


# Recent search results. Two kinds of entry: the cells of a search text (facet filters are
# applied to them in Python, so every facet click on a common search reuses one entry, and the
# home page with no search is one entry too), and the ids of one page of a view.
CACHE: LRU[tuple] = LRU(size=512)
# A match set is a flag per incident (100 kB at 100,000 incidents), so few are kept: enough
# for a search's page requests (sort, facet clicks, the next page) to follow its count.
MATCHES: LRU[tuple] = LRU(size=32)


def cached(session: Session, stamp: int | None, key: tuple, compute: Callable[[], tuple],
           cache: LRU[tuple] = CACHE) -> tuple:
    """``compute()``, or what it gave before under the same database, stamp and key."""
    if stamp is None:  # a database without the stamp table (not migrated): never cache
        return compute()
    full = (database_key(session), stamp, *key)
    value = cache.get(full)
    if value is None:
        value = compute()
        cache.put(full, value)
    return value
