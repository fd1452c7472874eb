"""A warm process that runs notebooks one after another, each in a forked child.

The zygote imports the whole stack once (~5 s) and never runs user code itself. For each
job it forks: the child starts from that pristine, already-imported state, runs the
notebook (see `cells`), publishes its report and exits. Whatever a notebook defines,
patches or leaks dies with its child, which is why this is used instead of resetting a
kernel's namespace (`%reset` cannot undo a patched module attribute or pandas option).
The zygote kills a child that outlives its timeout and reports a child that dies.

Protocol: one JSON line per job on stdin, one JSON line per result on stdout.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import json
import os
import select
import signal
import socket
import subprocess
import sys
import time
from collections import OrderedDict
from pathlib import Path
from typing import IO, Any

PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Linux: be killed when the process that started us dies (kill -9 of a run)."""
    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


# --------------------------------------------------------------------------- child side

def _save(notebook: Any, path: Path) -> None:
    """Atomic, unsynced save of the notebook as executed so far (for hangs and deaths)."""
    import nbformat

    tmp = path.with_name(f".{path.name}.pid{os.getpid()}.tmp")  # see files.remove_orphans
    # the same text as nbformat.writes, without validating the whole notebook again
    # before every cell (it is validated once, when written at the end)
    tmp.write_text(nbformat.versions[notebook.nbformat].writes_json(notebook),
                   encoding="utf-8")
    os.replace(tmp, path)


#: A running notebook is saved before a cell when it was last saved this long ago (s).
SAVE_EVERY = 1.0
#: How long a notebook past its timeout has to save itself before it is killed (s).
TIMEOUT_GRACE = 2.0


def _on_timeout(save: Any) -> None:
    """On SIGTERM (its timeout, see `fork_and_wait`), save the notebook as executed so
    far, with the cell that hangs, then exit."""
    def handler(signum: int, frame: Any) -> None:
        try:
            save()
        finally:
            os._exit(1)

    signal.signal(signal.SIGTERM, handler)


def run_job(job: dict[str, Any], tell: Any) -> dict[str, Any]:
    """Parameterise, execute, save and publish one notebook (runs in the forked child)."""
    import nbformat
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    from vises_nb.publishing.engine.cells import run_cells
    from vises_nb.publishing.publish import publish_notebook, write_atomic

    if job.get("cwd") and os.path.isdir(job["cwd"]):
        os.chdir(job["cwd"])  # this child stands for a kernel started where the run was
    executed = Path(job["executed"])
    executed.parent.mkdir(parents=True, exist_ok=True)
    notebook = SOURCES.get(job["source"], (None, None))[1]  # read before the fork
    if notebook is None:
        notebook = load_notebook_node(job["source"])  # as papermill reads it (tags)
    notebook = parameterize_notebook(notebook, job["parameters"], kernel_name="python3",
                                     language="python")
    notebook.metadata["vises"] = {"run_id": job["audit"].get("run_id", ""), "status": "running"}

    saved = [0.0]

    def save() -> None:
        _save(notebook, executed)
        saved[0] = time.monotonic()

    def before_cell(index: int) -> None:
        # Saved before the first cell, then only when a cell ran a while: saving before
        # every cell serialised the whole notebook again each time (~a fifth of a step-1
        # notebook). A notebook killed at its timeout saves itself first (`_on_timeout`).
        if not saved[0] or time.monotonic() - saved[0] >= SAVE_EVERY:
            save()
        tell({"cell": index})

    _on_timeout(save)
    error = run_cells(notebook, before_cell)
    notebook.metadata["vises"]["status"] = "failed" if error else "ok"
    write_atomic(executed, nbformat.writes(notebook))
    if error:
        return {"ok": False, "error": f"{error.ename}: {error.evalue}".splitlines()[0][:300],
                "cell": error.cell}
    # published from the notebook in memory: the same as reading back what was just written
    publish_notebook(executed, Path(job["report"]), job["title"], job["lang"], job["audit"],
                     notebook)
    return {"ok": True}


def _proxy_charts(tell: Any, answers: IO[bytes]) -> None:
    """Send chart conversions to the zygote, whose vl_convert is already running.

    vl_convert's engine starts threads on first use (~0.7 s); a forked child inherits
    none of them and would hang, so the zygote converts and the child asks it. Only
    `vegalite_to_svg` (what `vises_nb.publishing.charts` uses) is forwarded; any other vl_convert
    call in a notebook would hang until the timeout, and be reported as such.
    """
    import vl_convert

    def vegalite_to_svg(*args: Any, **kwargs: Any) -> str:
        tell({"svg": [args, kwargs]})
        answer = json.loads(answers.readline())
        if "error" in answer:
            raise ValueError(answer["error"])
        return str(answer["svg"])

    vl_convert.vegalite_to_svg = vegalite_to_svg


def _child(job: dict[str, Any], fd: int, answer_fd: int) -> None:
    die_with_parent()
    # What the child inherited (the data its warm process loaded, the shared tables) goes
    # to its own permanent generation: its collections walk only what its notebook makes,
    # instead of walking, and so copying page by page, the inherited heap each time. The
    # warm process collects at its own times (`COLLECT_EVERY`); the notebook as usual.
    gc.freeze()
    gc.enable()
    messages = os.fdopen(fd, "wb")

    def tell(message: dict[str, Any]) -> None:
        messages.write((json.dumps(message) + "\n").encode())
        messages.flush()

    code = 0
    try:
        _proxy_charts(tell, os.fdopen(answer_fd, "rb"))
        profile_dir = os.environ.get("VISES_ENGINE_PROFILE")
        if profile_dir:
            import cProfile
            import resource
            profiler = cProfile.Profile(time.process_time)
            t0 = time.perf_counter()
            profiler.enable()
            done = run_job(job, tell)
            profiler.disable()
            usage = resource.getrusage(resource.RUSAGE_SELF)
            done["prof"] = {"wall": time.perf_counter() - t0, "minflt": usage.ru_minflt,
                            "utime": usage.ru_utime, "stime": usage.ru_stime}
            report = Path(job["report"])  # <enterprise>-<report>-<pid>.prof
            profiler.dump_stats(os.path.join(
                profile_dir, f"{report.parent.name}-{report.stem}-{os.getpid()}.prof"))
            tell({"done": done})
        else:
            tell({"done": run_job(job, tell)})
    except BaseException as exc:  # noqa: BLE001 - reported to the run, never raised
        tell({"done": {"ok": False, "error": f"{type(exc).__name__}: {exc}".splitlines()[0]
                       [:300]}})
        code = 1
    finally:
        os._exit(code)


# --------------------------------------------------------------------------- zygote side

#: Charts converted lately, by their spec: a chart whose data did not change (the
#: cohort's progress after one enterprise's edit) is not converted again (~0.15 s each).
CONVERTED: OrderedDict[str, str] = OrderedDict()
CONVERTED_KEPT = 256


def _convert(call: list[Any], answers: IO[bytes]) -> None:
    import vl_convert

    from vises_nb.text import clean_all

    # texts cleaned here too: vl-convert aborts the whole warm process on a control
    # character, and this process serves every notebook of the run
    args, kwargs = clean_all(call)
    key = json.dumps([args, kwargs], sort_keys=True)
    try:
        if key not in CONVERTED:
            CONVERTED[key] = vl_convert.vegalite_to_svg(*args, **kwargs)
            if len(CONVERTED) > CONVERTED_KEPT:
                CONVERTED.popitem(last=False)
        CONVERTED.move_to_end(key)
        answer = {"svg": CONVERTED[key]}
    except Exception as exc:  # noqa: BLE001 - raised again in the child
        answer = {"error": f"{type(exc).__name__}: {exc}"}
    try:
        answers.write((json.dumps(answer) + "\n").encode())
        answers.flush()
    except BrokenPipeError:
        pass  # the child died meanwhile; its death is reported


#: Notebooks as papermill reads them, by path, with the bytes they were read from: each
#: job's notebook is read here, before forking, and parsed (and validated) again only
#: when its file's content changed; the child parameterises its own (forked) copy.
SOURCES: OrderedDict[str, tuple[bytes, Any]] = OrderedDict()
SOURCES_KEPT = 32


def read_source(job: dict[str, Any]) -> None:
    """Parse the job's notebook here, before forking, unless it is parsed already from
    the very same bytes."""
    from papermill.iorw import load_notebook_node

    path = job["source"]
    if not os.path.isabs(path):
        return  # the child reads it from the run's folder
    try:
        content = Path(path).read_bytes()
        kept = SOURCES.get(path)
        if kept is not None and kept[0] == content:
            return
        SOURCES.pop(path, None)
        notebook = load_notebook_node(path)
        if Path(path).read_bytes() == content:  # not changed while it was parsed
            SOURCES[path] = (content, notebook)
            if len(SOURCES) > SOURCES_KEPT:
                SOURCES.popitem(last=False)
    except Exception:  # noqa: BLE001 - the child reads it again and says why
        SOURCES.pop(path, None)


def preload(job: dict[str, Any]) -> None:
    """Load the job's enterprise here, before forking, unless it is already loaded at the
    data version the run planned: its notebooks (steps 1 to 3, the one-pager) each read it
    from this process's memory instead of the store (see `loading.preload`)."""
    wanted = job.get("preload")
    if not wanted:
        return
    from vises_nb.store import loading

    try:
        data = loading.preload(wanted["store_url"], wanted["enterprise_id"], wanted["data_hash"])
    except Exception as exc:  # noqa: BLE001 - the notebook reads the store itself and says why
        print(f"preload of {wanted['enterprise_id']} failed: {exc}", file=sys.stderr)
        return
    # what two or more of its notebooks compute alike (see `jobs.shared_work`), computed
    # once from the data as loaded; a notebook gets it only for data of that very content
    share = wanted.get("share") or ()
    try:
        if "step3" in share:
            from vises_nb.publishing.notebook import share_step3

            share_step3(data, int(job["parameters"].get("min_respondents", 5)))
    except Exception as exc:  # noqa: BLE001 - the notebook computes it itself and says why
        print(f"shared work of {wanted['enterprise_id']} failed: {exc}", file=sys.stderr)


def _stop(pid: int) -> int:
    """Ask a notebook past its timeout to save itself and exit, kill it if it does not;
    its exit status."""
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + TIMEOUT_GRACE
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status
        time.sleep(0.02)
    os.kill(pid, signal.SIGKILL)
    return os.waitpid(pid, 0)[1]


def fork_and_wait(job: dict[str, Any], timeout: float) -> dict[str, Any]:
    """Run `job` in a forked child; kill it after `timeout` seconds; report its death."""
    start = time.monotonic()
    read_source(job)
    preload(job)
    read_fd, write_fd = os.pipe()
    answer_read, answer_write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        os.close(answer_write)
        _child(job, write_fd, answer_read)
    os.close(write_fd)
    os.close(answer_read)
    answers = os.fdopen(answer_write, "wb")
    buffer, cell, done = b"", None, None
    deadline = start + timeout
    timed_out = False
    while done is None:
        left = deadline - time.monotonic()
        if left <= 0:
            timed_out = True
            break
        ready, _, _ = select.select([read_fd], [], [], left)
        if not ready:
            continue
        chunk = os.read(read_fd, 65536)
        if not chunk:
            break
        buffer += chunk
        *lines, buffer = buffer.split(b"\n")
        for line in lines:
            message = json.loads(line)
            if "svg" in message:
                _convert(message["svg"], answers)
            cell = message.get("cell", cell)
            done = message.get("done", done)
    os.close(read_fd)
    try:
        answers.close()
    except BrokenPipeError:
        pass
    status = _stop(pid) if timed_out else os.waitpid(pid, 0)[1]
    seconds = time.monotonic() - start
    if done is not None:
        return {**done, "seconds": seconds}
    # "error" in English for logs; "message" (catalogue key and values) for the reader's
    # language in the index and the CLI (see runner.failure_message).
    if timed_out:
        message = {"key": "run.timed_out", "values": {"seconds": f"{timeout:g}"}}
    elif os.WIFSIGNALED(status):
        message = {"key": "run.kernel_signal", "values": {"signal": os.WTERMSIG(status)}}
    else:
        message = {"key": "run.kernel_exit", "values": {"code": os.WEXITSTATUS(status)}}
    from vises_nb import i18n

    error = i18n.t(message["key"], "en", **message["values"])
    return {"ok": False, "error": error, "message": message, "cell": cell, "seconds": seconds}


#: The warm process collects its garbage itself, every this many notebooks, instead of
#: whenever allocations trigger it: those automatic collections, most of them full ones
#: (the imported stack frozen, what the process holds counts as young), walked all the
#: enterprises' data it keeps, ~2 s of CPU on the sample's run. Cycles it drops meanwhile
#: (an older version of an enterprise) wait at most this many notebooks.
COLLECT_EVERY = 32


def serve(requests: IO[bytes], replies: IO[bytes]) -> None:
    for n, line in enumerate(requests, 1):
        if n % COLLECT_EVERY == 0:
            gc.collect()
        request = json.loads(line)
        reply = fork_and_wait(request["job"], request["timeout"])
        replies.write((json.dumps(reply) + "\n").encode())
        replies.flush()
        _reap_siblings()


def _reap_siblings() -> None:
    """A sibling warm process (see `fork_siblings`) that the run stopped is this
    process's child: reaped between notebooks, so that it does not stay a zombie."""
    for pid in list(SIBLINGS):
        try:
            if os.waitpid(pid, os.WNOHANG)[0]:
                SIBLINGS.remove(pid)
        except ChildProcessError:
            SIBLINGS.remove(pid)


#: The warm processes forked from this one (the first of a run), by pid.
SIBLINGS: list[int] = []


def fork_siblings(pipes: list[tuple[int, int]], own: list[IO[bytes]]) -> list[IO[bytes]] | None:
    """Become, in a forked copy, each further warm process of the run: one import of the
    stack for all of them instead of one each (~3.6 s of CPU and ~1.5 s at the start of a
    run on two cores). `pipes` holds each sibling's (requests, replies) descriptors, which
    the run passed to this process; `own` this process's protocol streams.

    Returns, in a sibling, its (requests, replies) streams; in this process, None (the
    siblings' descriptors closed). Called before vl-convert's engine starts: a fork
    inherits none of its threads, so each sibling starts its own (`warm_charts`)."""
    for n, (request_fd, reply_fd) in enumerate(pipes):
        pid = os.fork()
        if pid:
            SIBLINGS.append(pid)
        else:
            die_with_parent()  # the run killed: this process dies, and the sibling with it
            for stream in own:
                stream.close()  # the first process's protocol is not this one's
            for m, (other_request, other_reply) in enumerate(pipes):
                if m != n:
                    os.close(other_request)
                    os.close(other_reply)
            return [os.fdopen(request_fd, "rb"), os.fdopen(reply_fd, "wb")]
    for request_fd, reply_fd in pipes:
        os.close(request_fd)
        os.close(reply_fd)
    return None


def main(log: str, siblings: str = "") -> None:
    """Entry point: keep the protocol on private descriptors, chatter to the run log.

    `siblings`: descriptors ("requests:replies,...") on which warm processes forked from
    this one, once the stack is imported, serve (`fork_siblings`)."""
    die_with_parent()
    requests = os.fdopen(os.dup(0), "rb")
    replies = os.fdopen(os.dup(1), "wb")
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    out = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    os.dup2(out, 1)
    os.dup2(out, 2)
    from vises_nb.publishing.engine.cells import make_shell
    from vises_nb.publishing.engine.imports import warm_charts, warm_notebooks, warm_up

    warm_up()
    warm_notebooks()
    make_shell()
    # The imported stack goes to the garbage collector's permanent generation, once: a
    # child's collections never walk (and so never copy, page by page) its inherited heap.
    # What is loaded later (enterprises' data) stays collectable, so that what the warm
    # process drops (an older version of an enterprise) is freed. Freezing the whole heap
    # before each fork and unfreezing it after, as before, left that garbage to full
    # collections that a heap of this size almost never triggers: the warm process grew
    # by ~0.8 MB per enterprise loaded (562 MB over 500, benchmarks/bench_engine_memory.py).
    gc.collect()
    gc.freeze()
    pipes = [(int(a), int(b)) for a, b in (pair.split(":") for pair in siblings.split(",")
                                           if pair)]
    forked = False
    if pipes:
        mine = fork_siblings(pipes, [requests, replies])
        if mine is not None:
            requests, replies = mine
            forked = True
    warm_charts()
    gc.freeze()  # what starting vl-convert made, too
    gc.disable()  # collected every COLLECT_EVERY notebooks (`serve`)
    replies.write((json.dumps({"ready": True, "pid": os.getpid()}) + "\n").encode())
    replies.flush()
    serve(requests, replies)
    # The run closed this process's requests: it is done. A process forked from it ends
    # now; the first waits for those (their CPU time, and their notebooks', is then
    # counted in its own, as the run counts it); either exits without the interpreter's
    # slow finalisation of this stack (~1.5 s).
    if pipes and not forked:
        _wait_siblings(GRACE_END)
    sys.stdout.flush()
    os._exit(0)


def _wait_siblings(timeout: float) -> None:
    """Reap the siblings, which end when the run closes their requests; kill those that
    have not ended after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        _reap_siblings()
        if not SIBLINGS:
            return
        if time.monotonic() > deadline:
            for pid in SIBLINGS:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
            SIBLINGS.clear()
            return
        time.sleep(0.005)


# --------------------------------------------------------------------------- driver side

def client_gone(conn: socket.socket) -> bool:
    """True when the peer of `conn` closed it (the run ended or was killed)."""
    try:
        return conn.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True


class _Forked:
    """What `Zygote` needs of a process (as `subprocess.Popen`) for a warm process that
    another one forked (`fork_siblings`): not this process's child, so it cannot be
    waited for; it dies when the warm process it was forked from dies (its parent)."""

    def __init__(self, first: Zygote, stdin: IO[bytes], stdout: IO[bytes]) -> None:
        self.first, self.stdin, self.stdout = first, stdin, stdout
        self.pid: int | None = None  # told when ready
        self.returncode: int | None = None

    def _ours(self) -> bool:
        """Still the process forked from the first (not a pid used again since)."""
        if self.pid is None:
            return False
        try:
            with open(f"/proc/{self.pid}/stat", encoding="ascii") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            return False
        return fields[0] != "Z" and int(fields[1]) == self.first.process.pid

    def poll(self) -> int | None:
        if self.pid is None:  # not ready yet: it dies with the first, or on its own
            return self.returncode
        if self.returncode is None and not self._ours():
            self.returncode = -signal.SIGKILL
        return self.returncode

    def kill(self) -> None:
        if self.pid is None:
            return  # never ready: it ends with the first, or when it reads its requests' end
        if self.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)  # type: ignore[arg-type]
            self.returncode = -signal.SIGKILL

    def wait(self) -> int | None:
        return self.returncode

    def ended(self, timeout: float) -> bool:
        """Wait until it has ended (its replies closed), at most `timeout` seconds."""
        ready, _, _ = select.select([self.stdout], [], [], timeout)
        if ready and not self.stdout.read1(1):
            self.returncode = 0
            return True
        return False


class ZygoteDied(RuntimeError):
    """The warm process itself stopped answering."""

    def outcome(self) -> dict[str, Any]:
        """The notebook's result when its warm process was lost (see runner.failure_message)."""
        return {"ok": False, "error": str(self), "seconds": 0.0,
                "message": {"key": "run.engine_lost", "values": {"detail": str(self)}}}


class Zygote:
    """Handle on one warm process, used by one thread at a time."""

    def __init__(self, log: Path, siblings: int = 0) -> None:
        """Start a warm process; with `siblings`, that many more forked from it once it
        has imported the stack (`fork_siblings`), taken with `siblings_started`."""
        from vises_nb.publishing.engine.imports import BLAS_THREADS

        env = {**{name: "1" for name in BLAS_THREADS}, **os.environ}
        ours: list[tuple[int, int]] = []  # this side of each sibling's pipes
        theirs: list[tuple[int, int]] = []
        for _ in range(siblings):
            request_read, request_write = os.pipe()
            reply_read, reply_write = os.pipe()
            ours.append((request_write, reply_read))
            theirs.append((request_read, reply_write))
        try:
            self.process: Any = subprocess.Popen(
                [sys.executable, "-m", "vises_nb.publishing.engine.zygote", str(log),
                 ",".join(f"{a}:{b}" for a, b in theirs)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env,
                pass_fds=[fd for pair in theirs for fd in pair])
        except BaseException:
            for fd in [fd for pair in ours + theirs for fd in pair]:
                os.close(fd)
            raise
        for fd in [fd for pair in theirs for fd in pair]:
            os.close(fd)
        self.ready = False
        self.busy = False
        self._siblings = [Zygote.sibling(self, *pair) for pair in ours]
        self._family = list(self._siblings)

    @classmethod
    def sibling(cls, first: Zygote, request_fd: int, reply_fd: int) -> Zygote:
        """The handle on a warm process that `first` forks (see `fork_siblings`)."""
        zygote = cls.__new__(cls)
        zygote.process = _Forked(first, os.fdopen(request_fd, "wb"),
                                 os.fdopen(reply_fd, "rb"))
        zygote.ready = False
        zygote.busy = False
        zygote._siblings, zygote._family = [], []
        return zygote

    def siblings_started(self) -> list[Zygote]:
        """The handles on the warm processes forked from this one (once)."""
        siblings, self._siblings = self._siblings, []
        return siblings

    def _read(self, timeout: float, watch: socket.socket | None = None) -> dict[str, Any]:
        """The warm process's next answer; if the run on `watch` goes away meanwhile
        (ended or killed), the warm process is killed with the notebook it runs."""
        assert self.process.stdout is not None
        deadline = time.monotonic() + timeout
        while True:
            waiting = [self.process.stdout] + ([watch] if watch is not None else [])
            left = deadline - time.monotonic()
            ready, _, _ = select.select(waiting, [], [], max(0.0, left))
            if watch is not None and watch in ready:
                if client_gone(watch):
                    self.kill()
                    raise ZygoteDied("the run went away: its notebook was stopped")
                watch = None  # unexpected data: stop watching rather than spin
            if self.process.stdout in ready or left <= 0:
                break
        line = self.process.stdout.readline() if ready else b""
        if not line:
            self.kill()
            raise ZygoteDied("the warm process stopped answering" if not ready
                             else f"the warm process died (exit {self.process.poll()})")
        return json.loads(line)

    def wait_ready(self, timeout: float = 300) -> None:
        if not self.ready:
            answer = self._read(timeout)
            if isinstance(self.process, _Forked):
                self.process.pid = int(answer.get("pid", 0)) or None
            self.ready = True

    def run(self, job: dict[str, Any], timeout: float,
            watch: socket.socket | None = None) -> dict[str, Any]:
        assert self.process.stdin is not None
        self.wait_ready()
        try:
            self.process.stdin.write((json.dumps({"job": job, "timeout": timeout}) + "\n")
                                     .encode())
            self.process.stdin.flush()
        except BrokenPipeError as exc:
            self.kill()
            raise ZygoteDied("the warm process died") from exc
        self.busy = True
        answer = self._read(timeout + 60, watch)
        self.busy = False
        return answer

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()

    def close(self) -> None:
        """End of run. An idle warm process is told so (its requests closed) and ends at
        once, without the interpreter's slow finalisation (~1.5 s); a first warm process
        first waits for those forked from it, so that their CPU time and their notebooks'
        count in its own, as the run measures it. One that is busy or does not end within
        seconds is killed."""
        for sibling in self._family:
            sibling._end_requests()
        if self.ready and not self.busy and self.process.poll() is None:
            self._end_requests()
            if isinstance(self.process, _Forked):
                self.process.ended(GRACE_END)
            else:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self.process.wait(GRACE_END + 1.0)
        self.kill()
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe:
                pipe.close()

    def _end_requests(self) -> None:
        if self.process.stdin and not self.process.stdin.closed:
            with contextlib.suppress(OSError):
                self.process.stdin.close()


#: How long an idle warm process told the run is over has to end before it is killed (s).
GRACE_END = 5.0


if __name__ == "__main__":
    main(*sys.argv[1:3])
