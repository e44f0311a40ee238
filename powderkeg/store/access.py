"""Opening the DuckDB file one unit of work at a time, so that processes take turns.

DuckDB lets one process write a file, or many processes read it, never both; and
inside one process every connection to a file must have the same configuration
(read-only or not). powderkeg therefore never holds the file beyond one unit of work:

- A **unit** is one write batch (an article with its events and bookkeeping, a fusion
  pass) or one read (a query, a CLI command's reads). ``Access.write()`` and
  ``Access.read()`` open the file for it and close it after, unless another unit of
  this process still uses it.
- **Waiting.** Opening retries while another process holds a conflicting lock, with a
  short, growing, jittered sleep, for at most ``lock_wait`` seconds; then it raises
  ``StoreLocked`` (E204) naming the other process's PID, which DuckDB's message gives.
- **Writers go first.** A writer that finds the file locked leaves ``<db>.writer-waiting``
  (its PID); a long-lived reader such as ``powderkeg serve`` sees it, lets its readers
  finish, closes the file and opens it again only once the writer is through. Without
  this, a busy server would hold its read lock for ever and starve ``run`` and ``watch``.
- **Others get the gaps.** A writer that works unit after unit (``watch`` storing a
  feed) leaves the file free only for moments, and another process polling for it
  could miss them for many seconds. A reader that finds the file locked therefore
  leaves ``<db>.reader-waiting`` (a writer, its ``writer-waiting`` note); a writer about
  to open the file for its next unit sees another process's note and holds back (at
  most ``GRACE`` seconds) until that process is in.
- **One process, one instance.** ``access_for(path)`` gives every part of a process the
  same ``Access``: a readers-writer lock over one DuckDB instance. Reads share it (each
  on its own cursor); a write waits for the reads to finish, reopens the file for
  writing and has it alone. A thread that holds a write may read inside it.
- **Reads never create a file.** A read of a missing path is ``StoreNotFound`` (E002);
  a file DuckDB cannot read is ``NotAStore`` (E003).

``linger`` keeps a read connection open that long after its last reader (the server
sets it, since opening costs ~20 ms); a process's own writes, and waiting writers of
other processes, close it at once.

**Holding between units.** Letting the file go checkpoints it: DuckDB rewrites the tables'
last row groups that the unit changed, 30 to 60 ms of CPU per write unit, more as the store
grows, and a run commits unit after unit. Within ``holding()`` (``Pipeline.run``) a write
unit therefore leaves the file attached while no other process waits for it: after each
unit, and every ``HOLD_POLL`` seconds between units (a watcher thread), it looks for
another process's note (``reader-waiting``, ``writer-waiting``) and lets the file go at
once when it finds one, so others still get in between two units. What a unit committed is
safe in DuckDB's write-ahead log until the checkpoint that DuckDB makes when the log grows
past ``checkpoint_threshold``, or the one at the end of ``holding()``.

**Opening is attaching.** Starting a DuckDB instance costs ~20 ms of CPU (it builds its
catalog of functions), and a unit that opened one for itself paid that every time: a run
opens the file a few times per batch. So an ``Access`` starts one in-memory instance, once,
and each unit ATTACHes the file to it (~2 ms) as its default database (``ALIAS``) and
DETACHes it after (which checkpoints and releases the lock, as closing did); the instance
is started afresh every ``FRESH_EVERY`` openings, so memory it holds for reuse stays bounded.
Cursors are made by ``cursor``, which points them at the file too.

**Memory.** DuckDB keeps what it reads and writes in its buffer pool, which by default may take 80%
of the machine. Most of what a run's instance holds is the ART key indexes of the tables' PRIMARY
KEYs and indexes: a write into a table checks its new keys in the key's index, which DuckDB loads
a part at a time as they are touched and lets go at a checkpoint, but cannot let go of while in use
nor spill. Keys that are hashes touch every part of their index with each batch, so it comes back
whole; a key led by a number in insertion order (events' (seq, id) since schema step 11,
fused_members' (seq, report_id) since step 12, fused_events' (seq, id) since step 13) touches only
its end (``bench/art_keys.py``); the articles' key (the re-run check by content hash) is the one
random key left. So a writer's memory grows with the store (~0.25 MB of indexes per 1,000
articles, 14 MB at 50,000 in the replay after step 13; 18 after step 12, 27 after step 11, 39
after steps 7-10 kept, of events, evidence and the fused tables, only the keys rows are looked up
by; 78 MB before steps 8-10, 102 before step 7, twice that before step 6 dropped the key of the
evidence table), and a ``memory_limit`` below the indexes makes writes fail rather
than bounding them. Without a limit, the checkpoint that lets a held file go took ~500 MB more for
a moment at 40,000 articles (a 973 MB peak at 50,000): DuckDB reads and rewrites blocks into its
pool and keeps them. The instance therefore starts with a ``memory_limit`` (setting
``store_memory``): by default ("auto") the file's size when it starts, at least ``AUTO_MEMORY``.
That checkpoint is still a run's peak (``bench/scale.py`` splits the RSS: in the 50,000-article
replay the batches end at 247 to 278 MB, of which the C heap is a flat 45 MB and DuckDB 19 to 36;
the peak is 492 MB with "auto", 474 to 477 with 256MB).
The indexes took 0.28-0.29 of the file in a 50,000-article replay (before step 6; less since); a
store of short articles (headlines, feed summaries) holds more keys per byte, so the limit leaves
the indexes room to double and more. Past the limit DuckDB lets go of blocks it can read again. The
instance starts with ``threads`` (``store_threads``, 1: the store's queries are small and the cores
code), and spills work larger than memory to ``<db>.tmp`` next to the file (``temp_directory``;
DuckDB's default for an in-memory instance is ``.tmp`` in the working directory), removed when it
closes.
"""

from __future__ import annotations

import contextlib
import os
import random
import re
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb

from ..errors import NotAStore, StoreLocked, StoreNotFound
from ..settings import Settings

WRITER_STALE = 2.0  # seconds after which a writer-waiting note no longer counts (its writer died)
NOTE_FRESH = 1.0  # a note this recent means its process is still trying (it renews it every try)
GRACE = 1.0  # the longest a writer holds back for another process's waiting unit, per opening
READ_PAUSE = 0.05  # the longest pause between a reader's tries (a writer's is 0.25 s)
_PID = re.compile(r"\(PID (\d+)\)")
ALIAS = "powderkeg_store"  # the file's name in this process's DuckDB instance
#: openings after which the instance is started afresh: it keeps memory that its units freed for
#: later use, and a long run's memory must stay flat (one start per 64 openings costs ~0.3 ms each)
FRESH_EVERY = 64
HOLD_POLL = 0.01  # seconds between two looks for another process's note while holding (a stat or two)
#: write units after which a held file is let go all the same, and the instance started afresh: memory
#: that DuckDB and its allocator keep grows while the file stays attached (a run's must stay flat)
HOLD_UNITS = 16
AUTO_MEMORY = 256  # MB: the least memory_limit that store_memory = "auto" gives (see "Memory" above)


def locked_by(message: str) -> int | None:
    """The PID in DuckDB's 'Conflicting lock is held in ... (PID 123)' message."""
    match = _PID.search(message)
    return int(match.group(1)) if match else None


class Access:
    """Units of work on one DuckDB file, for every thread of this process (``access_for``)."""

    def __init__(
        self,
        path: str,
        wait: float = 10.0,
        linger: float = 0.0,
        memory_limit: str = Settings.store_memory,
        threads: int = Settings.store_threads,
    ) -> None:
        self.path = path
        self.memory = path == ":memory:"
        self.wait = wait
        self.linger = linger
        self.memory_limit, self.threads = memory_limit, threads  # the next instance's (``config``)
        self.prepare: Callable[[duckdb.DuckDBPyConnection], None] | None = None  # run on first write open
        self.writes = 0  # write units finished in this process (a cheap data version for caches)
        self._cond = threading.Condition()
        self._db: duckdb.DuckDBPyConnection | None = None  # the instance, while the file is attached
        self._instance: duckdb.DuckDBPyConnection | None = None  # started on the first opening, kept
        self._openings = 0
        self._mode = ""  # "r" | "w"
        self._readers = 0
        self._writer: int | None = None  # thread id
        self._depth = 0
        self._writers_waiting = 0
        self._draining = False
        self._prepared = False
        self._idle_since = time.monotonic()
        self._holding = 0  # open ``holding()`` blocks
        self._held_units = 0  # write units since the file was attached, while holding
        self._reaper: threading.Thread | None = None
        self._stop = threading.Event()

    def version(self) -> tuple[int, ...]:
        """Changes whenever the data may have: a write here, or the file (or its WAL) changing on disk."""
        stamp = [self.writes]
        for path in (self.path, f"{self.path}.wal"):
            try:
                st = os.stat(path)
                stamp += [st.st_mtime_ns, st.st_size]
            except OSError:
                stamp += [0, 0]
        return tuple(stamp)

    @property
    def waiting_note(self) -> Path:
        return Path(f"{self.path}.writer-waiting")

    @property
    def reader_note(self) -> Path:
        return Path(f"{self.path}.reader-waiting")

    # -- units ---------------------------------------------------------------

    @contextlib.contextmanager
    def read(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor for one read; the file is open read-only (or for this thread's write)."""
        deadline = time.monotonic() + self.wait
        me = threading.get_ident()
        with self._cond:
            while True:
                if self._writer == me or (
                    self._db is not None and self._mode == "w" and self._writer is None
                ):
                    break  # inside this thread's write, or the write connection is still open and free
                if self._writer is None and not self._writers_waiting:
                    if self._db is not None and self._mode == "r" and not self._draining:
                        if self._other_writer_waiting():
                            self._draining = True
                        else:
                            break
                    if self._draining and self._readers == 0:
                        self._close()
                    if self._db is None and not self._other_writer_waiting():
                        self._db, self._mode = self._connect(False, deadline), "r"
                        break
                self._wait(deadline, "a write in this process")
            self._readers += 1
            db = self._db
        assert db is not None
        cursor = self.cursor(db)
        try:
            yield cursor
        finally:
            cursor.close()
            with self._cond:
                self._readers -= 1
                self._done()

    @contextlib.contextmanager
    def write(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """The connection, alone, for one write unit (its transactions are the caller's)."""
        deadline = time.monotonic() + self.wait
        me = threading.get_ident()
        with self._cond:
            if self._writer == me:
                self._depth += 1
            else:
                self._writers_waiting += 1
                try:
                    while self._writer is not None or self._readers:
                        self._wait(deadline, "other units of this process")
                finally:
                    self._writers_waiting -= 1
                self._writer, self._depth = me, 1
                try:
                    if self._db is not None and self._mode != "w":
                        self._close()
                    if self._db is None:
                        self._db, self._mode = self._connect(True, deadline), "w"
                    if not self._prepared and self.prepare is not None:
                        self.prepare(self._db)
                    self._prepared = True
                except BaseException:
                    self._writer, self._depth = None, 0
                    self._done()
                    raise
            db = self._db
        assert db is not None
        try:
            yield db
        finally:
            with self._cond:
                self._depth -= 1
                if self._depth == 0:
                    self._writer = None
                    self.writes += 1
                    self._done()

    @contextlib.contextmanager
    def holding(self) -> Iterator[None]:
        """Keep the file attached between this process's write units for the block, unless another
        process waits for it (see "Holding between units" above); let it go at the end."""
        stop = threading.Event()
        watcher = None
        with self._cond:
            self._holding += 1
            if self._holding == 1 and not self.memory:
                watcher = threading.Thread(target=self._watch, args=(stop,), name="store-hold", daemon=True)
                watcher.start()
        try:
            yield
        finally:
            stop.set()
            if watcher is not None:
                watcher.join()
            with self._cond:
                self._holding -= 1
                if not self._holding and self._idle_writer():
                    self._close()

    def _watch(self, stop: threading.Event) -> None:
        """While holding: let the idle file go as soon as another process leaves its note."""
        while not stop.wait(HOLD_POLL):
            with self._cond:
                if self._idle_writer() and self._others_waiting():
                    self._close()

    def _idle_writer(self) -> bool:
        """Whether the file is attached for writing and no unit of this process uses it."""
        return not self._readers and self._writer is None and self._mode == "w"

    def _others_waiting(self) -> bool:
        return self._other_waiting(self.reader_note, NOTE_FRESH) or self._other_waiting(
            self.waiting_note, NOTE_FRESH
        )

    # -- opening and closing -------------------------------------------------

    def _connect(self, write: bool, deadline: float) -> duckdb.DuckDBPyConnection:
        if self.memory:
            return duckdb.connect(":memory:")
        path = Path(self.path)
        if path.is_dir():
            raise NotAStore(f"{self.path} is a folder, not a database file")
        if write:
            path.parent.mkdir(parents=True, exist_ok=True)
        elif not path.exists():
            raise StoreNotFound(f"no database at {self.path}")
        if write:
            self._yield_to_others(deadline)
        note = self.waiting_note if write else self.reader_note
        pause = 0.01
        while True:
            try:
                con = self._attach(write)
            except duckdb.IOException as exc:
                message = str(exc)
                if "Could not set lock" not in message:
                    self._clear_note(note)
                    raise _plain(self.path, message) from None
                self._note_waiting(note)
                if time.monotonic() + pause > deadline:
                    self._clear_note(note)
                    pid = locked_by(message)
                    who = f"process {pid}" if pid else "another process"
                    raise StoreLocked(
                        f"{self.path} is locked by {who} (waited {self.wait:g} s to "
                        f"{'write' if write else 'read'})",
                        pid=pid,
                        remedy=f"let {who} finish its batch or stop it (kill {pid or 'PID'}), then retry;"
                        " set lock_wait to wait longer",
                    ) from None
                time.sleep(pause * (0.5 + random.random()))
                pause = min(pause * 2, 0.25 if write else READ_PAUSE)
                continue
            except duckdb.Error as exc:
                self._clear_note(note)
                raise _plain(self.path, str(exc)) from None
            self._clear_note(note)
            return con

    def _attach(self, write: bool) -> duckdb.DuckDBPyConnection:
        """The file attached to this Access's instance as its default database."""
        self._openings += 1
        if self._openings % FRESH_EVERY == 0:
            self._fresh_instance()
        if self._instance is None:
            self._instance = duckdb.connect(":memory:", config=self.config())
        path = self.path.replace("'", "''")
        self._instance.execute(f"ATTACH '{path}' AS {ALIAS}" + ("" if write else " (READ_ONLY)"))
        self._instance.execute(f"USE {ALIAS}")
        return self._instance

    def config(self) -> dict[str, str | bool | int | float | list[str]]:
        """DuckDB's settings for this process's instance (see "Memory" above)."""
        config: dict[str, str | bool | int | float | list[str]] = {
            "threads": self.threads,
            "temp_directory": f"{self.path}.tmp",
        }
        limit = self._limit()
        if limit:
            config["memory_limit"] = limit
        return config

    def _limit(self) -> str:
        """``memory_limit`` as DuckDB takes it; "auto": the file's size now, at least ``AUTO_MEMORY``."""
        if self.memory_limit != "auto":
            return self.memory_limit
        try:
            size = os.path.getsize(self.path)
        except OSError:
            size = 0
        return f"{max(AUTO_MEMORY, size // 2**20)}MB"

    def _fresh_instance(self) -> None:
        """Close the instance while no file is attached to it; the next opening starts a new one
        (``FRESH_EVERY``, ``HOLD_UNITS``, ``close``)."""
        if self._instance is not None and self._db is None:
            self._instance.close()
            self._instance = None

    def cursor(self, con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
        """A cursor of ``con`` (the connection a unit got) on the store's file: a DuckDB cursor
        starts on the instance's own database, not on the one its connection USEs."""
        cur = con.cursor()
        if not self.memory:
            cur.execute(f"USE {ALIAS}")
        return cur

    def _detach(self, con: duckdb.DuckDBPyConnection) -> None:
        """Let the file go, as closing a connection to it did: a transaction left open is rolled back."""
        with contextlib.suppress(duckdb.Error):
            con.execute("ROLLBACK")  # raises when none is open, the usual case
        con.execute("USE memory")
        con.execute(f"DETACH {ALIAS}")

    def _close(self) -> None:
        if self._db is not None and not self.memory:
            self._detach(self._db)
            self._db, self._mode = None, ""
        self._held_units = 0
        self._draining = False
        self._cond.notify_all()

    def _done(self) -> None:
        """After a unit: close the file when nothing in this process uses it (see ``linger``)."""
        if not self._readers and self._writer is None:
            self._idle_since = time.monotonic()
            if self._mode == "w" and self._holding:
                self._held_units += 1
                if self._held_units >= HOLD_UNITS or self._others_waiting():
                    self._close()
                    self._fresh_instance()
            elif self._mode == "w" or not self.linger or self._draining:
                self._close()
        self._cond.notify_all()

    def _wait(self, deadline: float, what: str) -> None:
        left = deadline - time.monotonic()
        if left <= 0:
            raise StoreLocked(
                f"{self.path} stayed busy with {what} for {self.wait:g} s",
                pid=os.getpid(),
                remedy="retry; set lock_wait to wait longer",
            )
        self._cond.wait(min(left, 0.05))

    # -- writers of other processes ------------------------------------------

    def _note_waiting(self, note: Path) -> None:
        with contextlib.suppress(OSError):
            note.write_text(str(os.getpid()), "ascii")

    def _clear_note(self, note: Path) -> None:
        with contextlib.suppress(OSError, ValueError):
            if int(note.read_text("ascii") or 0) == os.getpid():
                note.unlink()

    def _other_waiting(self, note: Path, stale: float) -> bool:
        """Whether another process left ``note`` less than ``stale`` seconds ago."""
        try:
            if time.time() - note.stat().st_mtime > stale:
                return False
            return int(note.read_text("ascii") or 0) != os.getpid()
        except (OSError, ValueError):
            return False

    def _yield_to_others(self, deadline: float) -> None:
        """Before opening to write: let a unit of another process that is waiting go first."""
        if self.memory:
            return
        until = min(deadline, time.monotonic() + GRACE)
        while time.monotonic() < until and self._others_waiting():
            time.sleep(0.01)

    def _other_writer_waiting(self) -> bool:
        if self.memory or not self.linger:
            return False  # a reader that closes after each unit never starves a writer
        return self._other_waiting(self.waiting_note, WRITER_STALE)

    # -- a server's idle connection ------------------------------------------

    def start_reaper(self) -> None:
        """Close a lingering read connection once idle for ``linger`` s, or when a writer waits."""
        if self._reaper is not None or not self.linger:
            return

        def reap() -> None:
            while not self._stop.wait(min(self.linger / 2, 0.1)):
                with self._cond:
                    idle = not self._readers and self._writer is None and self._db is not None
                    late = time.monotonic() - self._idle_since >= self.linger
                    if idle and (late or self._other_writer_waiting()):
                        self._close()

        self._reaper = threading.Thread(target=reap, name="store-reaper", daemon=True)
        self._reaper.start()

    def close(self) -> None:
        self._stop.set()
        if self._reaper is not None:
            self._reaper.join()
            self._reaper = None
        with self._cond:
            if self._db is not None and not self.memory:
                self._detach(self._db)
            elif self._db is not None:
                self._db.close()
            self._db, self._mode = None, ""
            self._fresh_instance()


def _plain(path: str, message: str) -> Exception:
    if "does not exist" in message:
        return StoreNotFound(f"no database at {path}")
    if "not a valid DuckDB database" in message or "Unable to open" in message:
        return NotAStore(f"{path} is not a DuckDB database")
    return NotAStore(f"cannot open {path}: {message.splitlines()[0]}")


_REGISTRY: dict[str, Access] = {}
_REGISTRY_LOCK = threading.Lock()


def access_for(
    path: str,
    wait: float | None = None,
    linger: float | None = None,
    memory_limit: str | None = None,
    threads: int | None = None,
) -> Access:
    """This process's ``Access`` to ``path`` (one per file, shared by every thread); ``memory_limit``
    and ``threads`` apply from its next DuckDB instance on."""
    key = path if path == ":memory:" else os.path.realpath(path)
    with _REGISTRY_LOCK:
        access = _REGISTRY.get(key)
        if access is None or (path == ":memory:"):
            access = _REGISTRY[key] = Access(path, wait if wait is not None else 10.0, linger or 0.0)
        if wait is not None:
            access.wait = wait
        if linger is not None:
            access.linger = linger
        if memory_limit is not None:
            access.memory_limit = memory_limit
        if threads is not None:
            access.threads = threads
        return access


__all__ = ["Access", "access_for", "locked_by"]
