"""Decoding in a child process held to a CPU-time and a memory limit (ROUEI_DECODE_ISOLATED).

The counts in ``app.extract.limits`` refuse the hostile documents we know of before the costly
step; this is the guard for the ones we do not: a decoder that loops or swells on one page is
stopped by the kernel (RLIMIT_CPU, RLIMIT_AS), the document fails alone with a message that
names the limit, and a fresh child takes the next one.

The children come from a fork server that has imported the decoders once (about 9 s for
``app.extract``), so a child starts in milliseconds; ``start()`` warms it ahead of the first
document. One child decodes one document at a time and is reused while it lives.
"""

from __future__ import annotations

import multiprocessing
import resource
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from app.extract import Decoded, DecodeError, limits
from app.extract.limits import LimitError

_PRELOAD = ["app.ingest.documents"]


def _cpu_used() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _address_space() -> int:
    with open("/proc/self/statm", encoding="ascii") as f:
        pages = int(f.read().split()[0])
    return pages * resource.getpagesize()


def _decode_here(data: bytes, filename: str | None, content_type: str | None,
                 cpu_seconds: float, memory_bytes: int) -> Decoded:
    """Runs in the child: set this document's limits, decode, give back text or a DecodeError."""
    from app.ingest.documents import to_text

    _, hard_cpu = resource.getrlimit(resource.RLIMIT_CPU)
    resource.setrlimit(resource.RLIMIT_CPU, (int(_cpu_used() + cpu_seconds) + 1, hard_cpu))
    _, hard_as = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (_address_space() + memory_bytes, hard_as))
    try:
        return to_text(data, filename=filename, content_type=content_type)
    except DecodeError:
        raise
    except MemoryError:
        raise LimitError("decoding needed more memory than allowed", "MAX_DECODE_MEMORY_BYTES",
                         memory_bytes) from None
    except Exception as exc:  # noqa: BLE001 - sent back as one line; the child lives on
        raise DecodeError(f"cannot read the document: {type(exc).__name__}: {exc}"[:300]) from None
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (hard_as, hard_as))


class Isolated:
    """A child process that decodes documents, replaced when a limit kills it."""

    def __init__(self, *, cpu_seconds: float = limits.MAX_DECODE_CPU_SECONDS,
                 memory_bytes: int = limits.MAX_DECODE_MEMORY_BYTES) -> None:
        self.cpu_seconds, self.memory_bytes = cpu_seconds, memory_bytes
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                context = multiprocessing.get_context("forkserver")
                context.set_forkserver_preload(_PRELOAD)
                self._pool = ProcessPoolExecutor(max_workers=1, mp_context=context)
            return self._pool

    def start(self) -> None:
        """Start the fork server and a child now, so that the first document does not wait."""
        self._executor().submit(_address_space).result()

    def decode(self, data: bytes, *, filename: str | None = None,
               content_type: str | None = None) -> Decoded:
        pool = self._executor()
        try:
            return pool.submit(_decode_here, data, filename, content_type, self.cpu_seconds,
                               self.memory_bytes).result()
        except BrokenProcessPool:
            # The kernel ended the child: RLIMIT_CPU's SIGXCPU, or a crash in native code.
            with self._lock:
                if self._pool is pool:
                    self._pool = None
            pool.shutdown(wait=False, cancel_futures=True)
            raise LimitError("decoding was stopped: it ran past its CPU time (or crashed)",
                             "MAX_DECODE_CPU_SECONDS", self.cpu_seconds) from None

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


_shared: Isolated | None = None
_shared_lock = threading.Lock()


def shared() -> Isolated:
    """The process's one decoding child (the app's workers and `rouei ingest` each have one)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Isolated()
        return _shared
