"""Generating learners in several processes, with the same rows as one process would write.

Each learner draws from a random stream of its own, so learners can be generated anywhere;
only the row ids tie them together (one process numbers every table's rows in learner order).
A worker therefore generates a chunk of learners with ids counted from 1, tells the parent how
many rows of each table the chunk made, receives the ids its chunk starts at (the sum of the
earlier chunks' counts: the parent hands them out in chunk order), moves its ids there and
sends the rows to the parent, which writes them over its one connection (COPY on PostgreSQL,
executemany on SQLite) while the workers generate the next chunks. One writer suits SQLite
(one writer at a time; several connections writing in turn were measured slower, their page
caches going cold) and keeps a 2-core machine from running more busy processes than cores.
The rows are the same whatever the number of processes; the tests compare a seed made by one
process with one made by several.
"""

import contextlib
import multiprocessing
import os
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection as Pipe

from webapp.models import metadata
from webapp.services.demo.activity import LearnerGenerator
from webapp.services.demo.context import Context, LearnerInfo
from webapp.services.demo.writer import BulkWriter

# Learners per chunk: small enough that a worker holds a chunk's rows in memory (about a
# thousand rows a learner), large enough that handing out offsets costs nothing.
MAX_CHUNK = 100


@dataclass
class ChunkDone:
    """A generated chunk: its learners and its renumbered rows."""

    index: int
    learners: list[LearnerInfo]
    # table -> (columns, rows), for the parent to write
    rows: dict[str, tuple[tuple[str, ...], list[tuple]]] = field(default_factory=dict)


def default_workers() -> int:
    """One process per core (at most 8) from 4 cores up; one process below that.

    Generating and writing each keep a core busy and the database wants one too: on 2 cores the
    extra process was measured slower than one process doing both (bench/FINDINGS.md).
    """
    cores = os.cpu_count() or 1
    return min(8, cores) if cores >= 4 else 1


def can_fork() -> bool:
    """Whether this platform starts workers by forking (they inherit the seed's context)."""
    return "fork" in multiprocessing.get_all_start_methods()


def chunk_bounds(learners: int, size_chunk: int, workers: int) -> list[tuple[int, int]]:
    """Split the learners into chunks, several per worker so that none waits long for the others."""
    per = max(1, min(size_chunk, MAX_CHUNK, -(-learners // (workers * 4))))
    return [(start, min(start + per, learners)) for start in range(0, learners, per)]


def id_columns() -> dict[str, list[tuple[int, str]]]:
    """For each table, the (position, table) of the columns holding ids the seed hands out."""
    found: dict[str, list[tuple[int, str]]] = {}
    for table in metadata.sorted_tables:
        for position, column in enumerate(table.columns):
            targets = {fk.column.table.name for fk in column.foreign_keys}
            if column.name == "id" and column.primary_key:
                targets.add(table.name)
            found[table.name] = found.get(table.name, []) + [(position, name) for name in targets]
    return found


def write_learners_in_parallel(ctx: Context, workers: int, tick: Callable[[int, int], None]) -> None:
    """Generate every learner in `workers - 1` processes and write them from this one.

    On return `ctx.learners` holds every learner in order and `ctx.writer` counts their rows and
    numbers what follows after them, exactly as if this process had generated them.
    """
    # This process writes (one connection: SQLite has one writer at a time, and a writer's page
    # cache stays warm); the others generate.
    chunks = chunk_bounds(ctx.size.learners, ctx.size.chunk, max(1, workers - 1))
    workers = max(1, min(workers - 1, len(chunks)))
    start_ids = dict(ctx.writer._next_ids)
    fork = multiprocessing.get_context("fork")
    pipes, processes = [], []
    for number in range(workers):
        parent_end, child_end = fork.Pipe()
        process = fork.Process(
            target=_worker, args=(ctx, chunks, number, workers, start_ids, child_end), daemon=True
        )
        process.start()
        child_end.close()
        pipes.append(parent_end)
        processes.append(process)
    done: dict[int, ChunkDone] = {}
    learners_done = rows_done = 0
    next_ids = dict(start_ids)

    def receive(pipe: Pipe) -> tuple | None:
        """Take one message: a chunk's counts are returned, a written chunk is noted."""
        nonlocal learners_done, rows_done
        kind, payload = pipe.recv()
        if kind == "error":
            raise RuntimeError(f"a demo worker failed:\n{payload}")
        if kind == "counts":
            return payload
        written = _write_in_parent(ctx.writer, payload)
        done[payload.index] = payload
        learners_done += len(payload.learners)
        rows_done += written
        tick(learners_done, rows_done)
        return None

    try:
        for index in range(len(chunks)):
            pipe = pipes[index % workers]
            while (message := receive(pipe)) is None:
                pass
            got_index, counts = message
            if got_index != index:
                raise RuntimeError(f"a demo worker sent chunk {got_index} for chunk {index}")
            pipe.send({name: next_ids.get(name, 1) for name in counts})
            for name, count in counts.items():
                next_ids[name] = next_ids.get(name, 1) + count
        for number, pipe in enumerate(pipes):
            while any(index not in done for index in range(number, len(chunks), workers)):
                receive(pipe)
        for process in processes:
            process.join()
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()
                process.join()
    groups = {group.id: group for group in ctx.groups}
    for index in range(len(chunks)):
        for info in done[index].learners:
            info.group = groups[info.group.id]
            ctx.learners.append(info)
    ctx.writer._next_ids.update(next_ids)


def _worker(
    ctx: Context,
    chunks: list[tuple[int, int]],
    number: int,
    workers: int,
    start_ids: dict[str, int],
    pipe: Pipe,
) -> None:
    """Generate chunks number, number + workers, ...; never return (see the end)."""
    status = 0
    try:
        columns = id_columns()
        for index in range(number, len(chunks), workers):
            _one_chunk(ctx, chunks[index], index, start_ids, columns, pipe)
    except BaseException:  # reported to the parent, which raises it
        status = 1
        with contextlib.suppress(OSError):
            pipe.send(("error", traceback.format_exc()))
    finally:
        pipe.close()
        # Leave without running the parent's exit handlers or closing its inherited connections.
        os._exit(status)


def _one_chunk(
    ctx: Context,
    bounds: tuple[int, int],
    index: int,
    start_ids: dict[str, int],
    columns: dict[str, list[tuple[int, str]]],
    pipe: Pipe,
) -> None:
    """Generate one chunk, learn where its ids start, renumber and send its rows to the parent."""
    first, stop = bounds
    local = BulkWriter(None, dialect=ctx.writer.dialect)
    # Learners take one user id each, in order: their ids are known before the chunk is made.
    local._next_ids["users"] = start_ids.get("users", 1) + first
    chunk_ctx = replace(ctx, writer=local, learners=[])
    generator = LearnerGenerator(chunk_ctx)
    for learner_index in range(first, stop):
        chunk_ctx.learners.append(generator.generate(learner_index))
    made = {}
    for name, next_id in local._next_ids.items():
        if count := next_id - _local_first(name, start_ids, first):
            made[name] = count
    pipe.send(("counts", (index, made)))
    offsets: dict[str, int] = pipe.recv()
    shift = {name: offsets[name] - _local_first(name, start_ids, first) for name in made}
    shift = {name: delta for name, delta in shift.items() if delta}
    for name, rows in local.buffers.items():
        moved = [(position, shift[target]) for position, target in columns[name] if target in shift]
        if moved and rows:
            rows[:] = _shifted(rows, moved)
    for info in chunk_ctx.learners:
        info.group = replace(info.group, path_modules=[])  # the parent puts its own back
    rows = {name: (local.columns[name], rows) for name, rows in local.buffers.items() if rows}
    pipe.send(("done", ChunkDone(index, chunk_ctx.learners, rows)))


def _write_in_parent(writer: BulkWriter, chunk: ChunkDone) -> int:
    """Write a chunk a worker generated, counted as this process's own rows; return how many."""
    for name, (columns, rows) in chunk.rows.items():
        writer.columns[name] = columns
        writer.buffers.setdefault(name, []).extend(rows)
        writer.counts.setdefault(name, 0)
    before = sum(writer.counts.values())
    writer.flush()
    writer.connection.commit()
    chunk.rows = {}
    return sum(writer.counts.values()) - before


def _local_first(name: str, start_ids: dict[str, int], first: int) -> int:
    return start_ids.get("users", 1) + first if name == "users" else 1


def _shifted(rows: list[tuple], moved: list[tuple[int, int]]) -> list[tuple]:
    """The rows with `delta` added to the id at each (position, delta); None stays None."""
    result = []
    for row in rows:
        values = list(row)
        for position, delta in moved:
            value = values[position]
            if value is not None:
                values[position] = value + delta
        result.append(tuple(values))
    return result
