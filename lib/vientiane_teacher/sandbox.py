"""A sandbox per handed-in notebook: bubblewrap (Debian's ``bubblewrap``, the ``bwrap`` command).

What runs inside (the notebook client and its kernel, both: a kernel in its own network
namespace cannot talk to a client outside) sees:

* the system's ``/usr`` and this Python (its prefix and the venv's packages), read-only;
* the **students' copy of the library**: ``vientiane`` installed from the files the student
  edition is made of (``students_library``), never the teacher's clone, whose folder is not
  there at all; nor are the submissions, the grader's output, the teacher's home or ``/etc``;
* an empty ``/tmp`` of its own (a size-limited tmpfs), which is also its ``HOME``;
* no network (its own network namespace: not even 127.0.0.1 of the machine), its own PID
  namespace (it sees only its own processes; none survives it: ``--die-with-parent``, and
  the namespace's first process takes every other with it), an environment of a few variables
  chosen here (none of the teacher's);
* limits (``prlimit``): address space, processes, the size of any file it writes;
* as root, a user id no other sandbox on the machine holds while it runs (``own_uid``: from
  ``SANDBOX_UID`` up), so that its process limit is its own and nothing of root's applies;
  as any other user, a user namespace.

Input comes in on standard input, results go out through one file descriptor opened by the
grader (3): nothing inside can write to a file of the teacher's.

>>> sandbox_unavailable() is None or "bwrap" in sandbox_unavailable()
True
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

SANDBOX_UID = 61000  # as root: the first of the user ids a run may take (no account needed; owns nothing outside)
UID_POOL = 4096  # how many ids from SANDBOX_UID on
UID_LOCKS = Path(tempfile.gettempdir()) / "vientiane-sandbox-uids"  # one lock file per id in use
INSIDE_HOME = "/tmp/home"
INSIDE_WORK = "/tmp/work"
INSIDE_LIBRARY = "/sandbox/site"
INSIDE_TOOLS = "/sandbox/tools"
OUTPUT_FD = 3  # inside: the one writable way out


class SandboxUnavailable(Exception):
    """bubblewrap is missing or does not work here; the message says what to do."""


@dataclass(frozen=True)
class Limits:
    """What one sandbox may use. Generous: an honest lesson needs about 1 GB of address space
    and 40 threads; the limits are there to stop a runaway, not to time anything."""

    address_space: int = 6 * 1024**3  # bytes of virtual memory per process (RLIMIT_AS)
    processes: int = 256  # processes and threads of its user (RLIMIT_NPROC)
    file_size: int = 512 * 1024**2  # the largest file it may write (RLIMIT_FSIZE)
    tmp_size: int = 1024**3  # its /tmp (and HOME), in memory
    open_files: int = 1024


@dataclass
class Outcome:
    """How the sandboxed command ended: its exit status (None when it was killed at the time
    limit), whether it ran out of time, and what it wrote to the grader's file."""

    returncode: int | None
    timed_out: bool
    output: bytes = b""
    stderr: bytes = b""


def bwrap() -> str | None:
    """The bwrap command, or None."""
    return shutil.which("bwrap")


def sandbox_unavailable() -> str | None:
    """None when a sandbox can be made here, else why not (what the teacher can do about it)."""
    command = bwrap()
    if command is None:
        return (
            "bubblewrap (bwrap) is not installed: install Debian's package `bubblewrap` "
            "(`sudo apt-get install bubblewrap`; `make test` and `make grade` do it as root)"
        )
    try:
        trial = subprocess.run(
            [command, *_namespaces(), "--ro-bind", "/usr", "/usr", *_system_links(), "--", "/usr/bin/true"],
            capture_output=True,
            timeout=120,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"bwrap cannot run here: {error}"
    if trial.returncode:
        why = trial.stderr.decode(errors="replace").strip()
        return f"bwrap cannot make a sandbox here ({why}): user namespaces may be disabled (kernel.unprivileged_userns_clone)"
    return None


def students_library(root: Path, into: Path, out=None) -> Path:
    """Install the students' library into ``into`` (a ``--target`` folder) and return it.

    Made from the files the student edition is made of (``lib/vientiane``, ``data``, ``seeds``,
    ``setup.py``, the students' ``pyproject.toml``), built and installed by pip like a student's
    ``pip install .`` (offline: nothing is downloaded), so the wheel carries its own copy of the
    data and the teacher's tools are not in it.

    Example (not run as a doctest: it installs a package)::

        students_library(ROOT, Path("/tmp/grading/site"))
        # PosixPath('/tmp/grading/site')
    """
    from .lessons import files_below
    from .publish import students_pyproject

    root, into = Path(root), Path(into)
    with tempfile.TemporaryDirectory(prefix="vientiane-students-library-") as folder:
        source = Path(folder)
        for name in ("lib/vientiane", "data", "seeds"):
            for path in files_below(root / name):
                target = source / path.relative_to(root)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
        for name in ("setup.py", "MANIFEST.in"):
            if (root / name).is_file():
                shutil.copyfile(root / name, source / name)
        pyproject = students_pyproject((root / "pyproject.toml").read_text(encoding="utf-8"))
        (source / "pyproject.toml").write_text(pyproject, encoding="utf-8")
        (source / "README.md").write_text("The students' library, for grading.\n", encoding="utf-8")
        result = subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", "--no-build-isolation"]
            + ["--no-compile", "--target", str(into), str(source)],
            capture_output=True,
            text=True,
            timeout=600,
            env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PYTHONDONTWRITEBYTECODE": "1"},
        )
    if result.returncode:
        raise SandboxUnavailable(f"the students' library could not be installed for grading:\n{result.stderr[-2000:]}")
    _readable(into)
    return into


@dataclass
class Sandbox:
    """The sandbox of a run: the read-only folders it binds and its limits.

    ``library``: the students' library (``students_library``), seen as ``/sandbox/site``;
    ``tools``: a folder of files the command needs (the script that runs the notebook, a
    matplotlib font cache), seen read-only as ``/sandbox/tools`` (``inside_tools``).

    >>> box = Sandbox(library=Path("/tmp/site"), tools=Path("/tmp/tools"))
    >>> "--unshare-net" in box.command(["python", "-c", "1"]) or "--unshare-all" in box.command(["python"])
    True
    """

    library: Path
    tools: Path
    limits: Limits = field(default_factory=Limits)
    env: dict = field(default_factory=dict)  # more variables for inside (never the teacher's own)
    sandboxed = True

    @property
    def inside_tools(self) -> Path:
        """Where the command finds ``tools``."""
        return Path(INSIDE_TOOLS)

    def command(self, argv: list[str], info: int | None = None, uid: int = SANDBOX_UID) -> list[str]:
        """The bwrap command line that runs ``argv`` inside; ``info``: a descriptor for bwrap's
        report of the sandbox's first process; ``uid``: the user id it runs as, when run as root."""
        command = [bwrap() or "bwrap", *_namespaces(), "--die-with-parent", "--new-session"]
        command += ["--info-fd", str(info)] if info is not None else []
        command += ["--ro-bind", "/usr", "/usr", *_system_links()]
        # /tmp first: a Python or venv that lives below /tmp (a clone in /tmp) is bound onto it, not hidden by it.
        command += ["--size", str(self.limits.tmp_size), "--perms", "1777", "--tmpfs", "/tmp"]
        binds = _shared_files() + _python_folders() + [(self.library, INSIDE_LIBRARY), (self.tools, INSIDE_TOOLS)]
        for source, target in binds:
            command += ["--ro-bind", str(source), str(target)]
        command += _open_parents([target for _, target in binds])
        command += ["--proc", "/proc", "--dev", "/dev"]
        command += ["--chdir", "/tmp", "--clearenv"]
        for key, value in self.environment().items():
            command += ["--setenv", key, value]
        if os.geteuid() == 0:  # a uid of its own: no root rights, and its own process count
            command += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
            command += ["--", shutil.which("setpriv") or "setpriv", f"--reuid={uid}", f"--regid={uid}"]
            command += ["--clear-groups", "--inh-caps=-all", "--bounding-set=-all"]
        command += ["--", shutil.which("prlimit") or "prlimit", *self._limits(), "--", *argv]
        return command

    def environment(self, home: str = INSIDE_HOME, work: str = INSIDE_WORK, library: str = INSIDE_LIBRARY) -> dict:
        """The command's whole environment: none of the teacher's variables."""
        venv_bin = str(Path(sys.executable).parent)
        return {
            "HOME": home,
            "PATH": f"{venv_bin}:/usr/bin:/bin",
            "PYTHONPATH": library,
            "PYTHONNOUSERSITE": "1",
            "PYTHONDONTWRITEBYTECODE": "1",
            "LANG": "C.UTF-8",
            "TMPDIR": str(Path(home).parent),
            "MPLCONFIGDIR": f"{home}/.config/matplotlib",
            "JUPYTER_PLATFORM_DIRS": "1",
            "PYDEVD_DISABLE_FILE_VALIDATION": "1",  # no debugger warning in the kernel's log
            "VIENTIANE_WORK": work,
            "VIENTIANE_FIGURES": f"{work}/figures",
            **self.env,
        }

    def _limits(self) -> list[str]:
        limit = self.limits
        return [
            f"--as={limit.address_space}",
            f"--nproc={limit.processes}",
            f"--fsize={limit.file_size}",
            f"--nofile={limit.open_files}",
            "--core=0",
        ]

    def _process(self, argv: list[str], scratch: Path, info: int, uid: int) -> tuple[list[str], dict | None]:
        """The command line to start and its environment (None: bwrap sets it inside)."""
        return self.command(argv, info, uid), None

    async def run(self, argv: list[str], stdin: bytes, timeout: float, scratch: Path) -> Outcome:
        """Run ``argv`` inside with ``stdin`` as its input; the command writes its result to
        file descriptor 3. After ``timeout`` seconds everything inside is killed; it returns
        when no process of it is left. ``scratch``: a private folder of the grader's."""
        scratch.mkdir(parents=True, exist_ok=True)
        with contextlib.ExitStack() as stack:
            uid = stack.enter_context(own_uid()) if self.sandboxed and os.geteuid() == 0 else os.geteuid()
            (scratch / "input").write_bytes(stdin)
            given = stack.enter_context(open(scratch / "input", "rb"))
            result_path = scratch / "result"
            result = stack.enter_context(open(result_path, "wb"))
            errors = stack.enter_context(open(scratch / "stderr", "w+b"))
            info_read, info_write = os.pipe()
            stack.callback(os.close, info_read)
            command, env = self._process(argv, scratch, info_write, uid)
            try:
                process = await asyncio.create_subprocess_exec(
                    *command,
                    stdin=given,
                    stdout=errors,
                    stderr=errors,
                    env=env,
                    pass_fds=[result.fileno(), info_write, OUTPUT_FD],  # OUTPUT_FD: the copy made below
                    preexec_fn=_result_fd(result.fileno()),
                    start_new_session=True,  # a group of its own: killing it reaches every process
                )
            finally:
                os.close(info_write)
            namespace = None
            if self.sandboxed:
                namespace = await asyncio.get_running_loop().run_in_executor(None, _pid_namespace, info_read)
            timed_out = False
            try:
                await asyncio.wait_for(process.wait(), timeout)
            except TimeoutError:
                timed_out = True
            finally:
                if process.returncode is None:
                    _kill_group(process.pid)
                    await process.wait()
                await _ended(namespace)  # the kernel ends a PID namespace's processes a moment later
                if not self.sandboxed:
                    _kill_group(process.pid)  # what is left of its group (a new session escapes it)
            result.close()
            errors.seek(0)
            stderr = errors.read(64 * 1024)
        output = _read_at_most(result_path, self.limits.file_size)
        return Outcome(None if timed_out else process.returncode, timed_out, output, stderr)


@dataclass
class Unsandboxed(Sandbox):
    """The same run without bubblewrap (``make grade UNSANDBOXED=1``): the students' library
    and the same clean environment, a temporary HOME and working folder, but the student's
    code runs as the teacher, sees the teacher's files and the network, and a process it
    starts in a new session can outlive grading. Only for a class whose code the teacher trusts."""

    sandboxed = False

    @property
    def inside_tools(self) -> Path:
        return self.tools

    def _process(self, argv: list[str], scratch: Path, info: int, uid: int) -> tuple[list[str], dict | None]:
        home, work = scratch / "home", scratch / "work"
        home.mkdir(parents=True, exist_ok=True)
        work.mkdir(parents=True, exist_ok=True)
        limits = [shutil.which("prlimit") or "prlimit", *self._limits(), "--"] if shutil.which("prlimit") else []
        return [*limits, *argv], self.environment(str(home), str(work), str(self.library))


@contextlib.contextmanager
def own_uid():
    """A user id from ``SANDBOX_UID`` up that no other sandboxed run on this machine holds while
    the block runs, in this grader or another: the kernel counts RLIMIT_NPROC per user id, so
    two runs on one id share one budget of processes, and one student's runaway would starve
    the other's notebook ("Resource temporarily unavailable"). Each id in use is an exclusive
    ``flock`` on its file in ``UID_LOCKS``, released when the block ends or the grader dies.

    >>> with own_uid() as uid, own_uid() as other:
    ...     uid >= SANDBOX_UID and other >= SANDBOX_UID and uid != other
    True
    """
    UID_LOCKS.mkdir(mode=0o700, exist_ok=True)
    for uid in range(SANDBOX_UID, SANDBOX_UID + UID_POOL):
        lock = os.open(UID_LOCKS / f"{uid}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(lock)
            continue
        try:
            yield uid
        finally:
            os.close(lock)
        return
    raise SandboxUnavailable(f"all {UID_POOL} sandbox user ids from {SANDBOX_UID} are in use ({UID_LOCKS})")


def font_cache(into: Path) -> Path:
    """Matplotlib's font list, built once (``into`` becomes an MPLCONFIGDIR): each sandbox
    copies it instead of scanning the fonts again."""
    into.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, "-c", "import matplotlib.font_manager"],
        env={**os.environ, "MPLCONFIGDIR": str(into)},
        capture_output=True,
        timeout=600,
    )
    _readable(into)
    return into


def validation_stamp(library: Path, into: Path) -> Path:
    """The data package of the students' ``library``, validated once (frictionless included)
    into ``into``, a cache of ``vientiane.load``: each sandbox copies it into its own HOME
    instead of validating the same bytes again (3 to 4 s a notebook). The stamp names the
    digest of the package's bytes; the sandbox sees the library read-only. The teacher's own
    stamps come first: the students' copy of unchanged data has the same digest, and then it
    is not validated a second time."""
    from vientiane.facts import _cache_dir  # the one place that says where stamps are kept

    into.mkdir(parents=True, exist_ok=True)
    for stamp in _cache_dir().glob("validated-*") if _cache_dir().is_dir() else ():
        if stamp.is_file() and not stamp.is_symlink():
            shutil.copyfile(stamp, into / stamp.name)
    result = subprocess.run(
        [sys.executable, "-c", "import vientiane; vientiane.load()"],
        env={**os.environ, "PYTHONPATH": str(library), "VIENTIANE_CACHE": str(into), "MPLBACKEND": "Agg"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode:
        raise SandboxUnavailable(f"the students' library's data does not load:\n{result.stderr[-2000:]}")
    _readable(into)
    return into


def _result_fd(fd: int):
    """In the child before bwrap starts: the result file becomes file descriptor 3."""

    def move() -> None:
        if fd != OUTPUT_FD:
            os.dup2(fd, OUTPUT_FD)
            os.set_inheritable(OUTPUT_FD, True)

    return move


def _pid_namespace(info: int) -> str | None:
    """The sandbox's PID namespace, from bwrap's ``--info-fd`` report (None if it never started)."""
    import json

    data = b""
    while chunk := os.read(info, 4096):
        data += chunk
        with contextlib.suppress(ValueError):
            child = json.loads(data)["child-pid"]
            with contextlib.suppress(OSError):
                return os.readlink(f"/proc/{child}/ns/pid")
            return None
    return None


async def _ended(namespace: str | None, patience: float = 600) -> None:
    """Wait until no process is left in ``namespace`` (they are being killed: this is not a time limit)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + patience
    while namespace and loop.time() < deadline and _members(namespace):
        await asyncio.sleep(0.05)


def _members(namespace: str) -> list[int]:
    members = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if os.readlink(f"/proc/{entry.name}/ns/pid") == namespace:
                    members.append(int(entry.name))
    return members


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)  # bwrap; its PID namespace then ends with it


def _read_at_most(path: Path, limit: int) -> bytes:
    with contextlib.suppress(OSError), open(path, "rb") as stream:
        return stream.read(limit + 1)
    return b""


def _namespaces() -> list[str]:
    """All namespaces. As root without a user namespace: the command then drops to a uid of its
    own with setpriv (a user namespace would map it back to root)."""
    if os.geteuid() == 0:
        return ["--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try"]
    return ["--unshare-all"]


def _system_links() -> list[str]:
    links = []
    for name, target in (("lib", "usr/lib"), ("lib64", "usr/lib64"), ("bin", "usr/bin"), ("sbin", "usr/sbin")):
        if Path("/", target).exists():
            links += ["--symlink", target, f"/{name}"]
    return links


def _shared_files() -> list[tuple[Path, Path]]:
    """The loader's index of /usr/lib and the font setup: nothing private in them."""
    return [(Path(p), Path(p)) for p in ("/etc/ld.so.cache", "/etc/fonts") if Path(p).exists()]


def _python_folders() -> list[tuple[Path, Path]]:
    """This Python's prefix and the venv (the venv's python is a link into the prefix)."""
    folders = {Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve()}
    return [(folder, folder) for folder in sorted(folders) if not str(folder).startswith("/usr")]


def _open_parents(targets: list) -> list[str]:
    """bwrap makes the folders above a bind with the source's modes (``/root`` is 0700): open
    them (they are the sandbox's own, empty but for the binds) so that the sandbox's user can pass."""
    parents = set()
    for target in targets:
        for parent in Path(target).parents:
            # / and /tmp (the sandbox's own tmpfs, 1777) keep their modes
            if str(parent) not in ("/", "/tmp") and not any(Path(t) == parent for t in targets):
                parents.add(parent)
    commands = []
    for parent in sorted(parents, key=lambda p: len(p.parts)):
        commands += ["--chmod", "0755", str(parent)]
    return commands


def _readable(folder: Path) -> None:
    """Everything below ``folder`` readable by the sandbox's own user."""
    for path in [folder, *folder.rglob("*")]:
        mode = path.stat().st_mode
        path.chmod(mode | 0o444 | (0o111 if path.is_dir() else 0))


RUN_SCRIPT = "sandboxed_run.py"


def grading_kit(root: Path, into: Path) -> tuple[Path, Path]:
    """What every sandbox of one grading run binds, made once: ``(library, tools)``.

    ``library``: the students' library (``students_library``); ``tools``: the script that runs
    a notebook inside (``sandboxed_run.py``), a copy of the one kernel runner beside it,
    matplotlib's font list and the data's validation stamp. Nothing of the teacher's clone is in either but these files.

    Example (not run as a doctest: it installs a package)::

        library, tools = grading_kit(ROOT, Path("/tmp/grading"))
        sorted(p.name for p in tools.iterdir())
        # ['matplotlib', 'runner.py', 'sandboxed_run.py', 'vientiane-cache']
    """
    into = Path(into)
    library = students_library(root, into / "site")
    tools = into / "tools"
    tools.mkdir(parents=True, exist_ok=True)
    here = Path(__file__).resolve().parent
    for name in (RUN_SCRIPT, "runner.py"):
        shutil.copyfile(here / name, tools / name)
    font_cache(tools / "matplotlib")
    validation_stamp(library, tools / "vientiane-cache")
    _readable(tools)
    return library, tools
