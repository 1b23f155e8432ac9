"""Where an import's batches are prepared: a second thread, or a second process.

``tmx.store.rows.prepare_batch`` is plain Python (normalising, hashing, joining texts); SQLite's
indexing of the previous batch is C. In a thread the two share the GIL: ``executemany`` takes it
back after every row, so they mostly take turns (measured: CPU ≈ wall on two cores). A
**process** reads the file *and* prepares the batches on the other core while this one only
inserts them; it needs a reader it can call itself (a picklable function such as
``functools.partial(tmx.convert.read_units, path)``); ``untm tm import`` uses it for files of
a few megabytes and more.

Both yield ``Batch`` objects in file order. The vocabulary is collected while the import is
small against the memory (``stored`` units); after that a batch comes without one
(``Batch.vocabulary is None``) and the importer reads it from the index at the end.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from tmx.store.rows import Batch, prepare_batch
from tmx.units import TranslationUnit

Reader = Callable[[], Iterable[TranslationUnit]]
QUEUED_BATCHES = 3  # batches the process may run ahead (memory bound)


def collect_vocabulary(read: int, batch_size: int, stored: int) -> bool:
    """Whether the next batch collects its vocabulary: while the import (with that batch) stays
    under a tenth of the ``stored`` units."""
    return (read + batch_size) * 10 < stored


Finish = Callable[[Batch], Any]  # more work on a batch done where it is prepared (``Batch.extra``)


def threaded_batches(
    units: Iterable[TranslationUnit], batch_size: int, stored: int, finish: Finish | None = None
) -> Iterator[Batch]:
    """The batches of ``units``, the next one prepared in a thread while the caller inserts one."""
    batches = _batches(units, batch_size, stored, finish)
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(next, batches, None)
        while (batch := pending.result()) is not None:
            pending = pool.submit(next, batches, None)
            yield batch


def _batches(
    units: Iterable[TranslationUnit], batch_size: int, stored: int, finish: Finish | None = None
) -> Iterator[Batch]:
    """Every batch of ``units``, collecting the vocabulary while ``collect_vocabulary`` says so,
    with ``finish(batch)`` as its ``extra``."""
    iterator = iter(units)
    read = 0
    while True:
        batch = prepare_batch(iterator, batch_size, collect_vocabulary(read, batch_size, stored))
        if batch.read == 0:
            return
        read += batch.read
        if finish is not None:
            batch.extra = finish(batch)
        yield batch


def process_batches(
    reader: Reader, batch_size: int, stored: int, finish: Finish | None = None
) -> Iterator[Batch]:
    """The batches of the units ``reader()`` yields, read and prepared in a child process.
    An error in the child (a malformed file) is raised here, after the batches before it."""
    # fork: the child only reads and computes (it never touches the parent's SQLite handles) and
    # needs no re-import of the main module, which "spawn" would do (any script calling this
    # would need an ``if __name__ == "__main__"`` guard)
    context: Any = multiprocessing.get_context(
        "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    )
    channel: Any = context.Queue(maxsize=QUEUED_BATCHES)
    worker = context.Process(target=_produce, args=(reader, batch_size, stored, channel, finish), daemon=True)
    worker.start()
    try:
        while True:
            try:
                item = channel.get(timeout=1.0)
            except queue.Empty:
                if not worker.is_alive():
                    raise RuntimeError(
                        f"the import process ended unexpectedly (exit code {worker.exitcode})"
                    ) from None
                continue
            if item is None:
                break
            if isinstance(item, tuple):  # an exception, as (class, args, attributes)
                raise _rebuilt(*item)
            yield item
        worker.join()
    finally:
        if worker.is_alive():
            worker.terminate()
            worker.join()


def _produce(reader: Reader, batch_size: int, stored: int, channel: Any, finish: Finish | None) -> None:
    """The child process: every batch of ``reader()``, then ``None`` (or the error). It ends
    by itself within a second when the importing process is gone (killed, say): nobody would
    ever take its next batch, and it would wait for ever holding its memory."""
    # terminate() from the parent must end this process at once, whatever SIGTERM handler the
    # calling program installed (one that raises would make the process wait at exit to flush
    # batches nobody reads any more, and the parent's join() with it); a library cannot rely on
    # its caller's handler being fork-aware, as untm's CLI is
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    parent = os.getppid()

    def watch() -> None:
        # also when every batch is queued and the process is ending: its queue's thread then
        # writes them to a pipe nobody reads any more, and exiting waits for it for ever
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()

    def put(item: Any) -> None:
        channel.put(item)  # waits while the importer is behind (or gone: ``watch`` ends us)

    try:
        for batch in _batches(reader(), batch_size, stored, finish):
            put(batch)
        put(None)
    except Exception as error:  # sent back whole: untm's errors carry path and line as attributes
        try:
            put((type(error), error.args, vars(error)))
        except Exception:  # something in it does not pickle
            put((RuntimeError, (f"{type(error).__name__}: {error}",), {}))


def _rebuilt(cls: type[BaseException], args: tuple[Any, ...], attributes: dict[str, Any]) -> BaseException:
    error = cls.__new__(cls)
    error.args = args
    vars(error).update(attributes)
    return error
