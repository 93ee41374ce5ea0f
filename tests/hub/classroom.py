"""The parts of the classroom rehearsal: processes that cannot outlive the test, git daemon,
a real JupyterHub (configurable-http-proxy, dummy authenticator, simple local spawner), and a
student who logs in, follows an nbgitpuller link, edits files and runs a lesson through the
kernel API, as a browser would (same URLs, cookies and XSRF tokens).

Everything listens on 127.0.0.1 and lives in one temporary folder. Every process started here,
and every process those start (proxy, single-user servers, kernels, git), carries ``MARK=<run
id>`` in its environment: ``Processes.stop`` finds them all by it, even those whose parent died.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from urllib.parse import quote, unquote, urlencode, urlsplit

import psutil
import requests

from tests.ipc_kernels import SERVER_ARGS, short_folder

PROXY = Path(__file__).resolve().parent / "node_modules" / ".bin" / "configurable-http-proxy"
BIN = Path(sys.executable).parent  # the venv's bin: jupyterhub, jupyterhub-singleuser
NAME = "vientiane"  # the repository's name: the folder nbgitpuller makes in a student's home
MARK = "VIENTIANE_CLASSROOM_RUN"
LOCAL = "127.0.0.1"
PASSED_ON = ("LANG", "LC_ALL", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "TZ")  # to the students' servers

# Bounds, so that a hang fails instead of blocking `make test` (never asserted on).
START_TIMEOUT = 180  # hub up; a student's server spawned (2 shared cores, a cold disk cache)
PULL_TIMEOUT = 300
CELL_TIMEOUT = 300
LESSON_TIMEOUT = 900
HTTP_TIMEOUT = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOCAL, 0))
        return sock.getsockname()[1]


class Processes:
    """Starts processes in their own process groups, marked; ``stop`` ends every marked one."""

    def __init__(self, logs: Path):
        self.run_id = uuid.uuid4().hex
        self.logs = logs
        self.started: list[subprocess.Popen] = []

    def start(self, name: str, command: list, *, cwd: Path, env: dict[str, str]) -> subprocess.Popen:
        with open(self.logs / f"{name}.log", "ab") as log:
            process = subprocess.Popen(
                [str(part) for part in command],
                cwd=cwd,
                env={**env, MARK: self.run_id},
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.started.append(process)
        return process

    def marked(self) -> list[psutil.Process]:
        """Every live process of this run (zombies excluded: they hold no memory or port)."""
        found = []
        for process in psutil.process_iter():
            with contextlib.suppress(psutil.Error):
                if process.pid != os.getpid() and process.environ().get(MARK) == self.run_id:
                    if process.status() != psutil.STATUS_ZOMBIE:
                        found.append(process)
        return found

    def stop(self, grace: float = 30) -> list[str]:
        """SIGTERM to each started group (the hub then stops its servers and its proxy), then
        SIGTERM and SIGKILL to whatever marked process is left. Returns the survivors (none)."""
        for process in self.started:
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for process in self.started:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
        for sig in (signal.SIGTERM, signal.SIGKILL):
            left = self.marked()
            if not left:
                break
            for process in left:
                with contextlib.suppress(psutil.Error, OSError):
                    group = os.getpgid(process.pid)
                    if group != os.getpgrp():
                        os.killpg(group, sig)
                    process.send_signal(sig)
            until = time.monotonic() + 10
            while self.marked() and time.monotonic() < until:
                time.sleep(0.2)
        for process in self.started:  # reap our own children
            if process.poll() is None:
                process.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=10)
        return [f"{p.pid} {' '.join(p.cmdline())}" for p in self.marked() if _alive(p)]


def _alive(process: psutil.Process) -> bool:
    with contextlib.suppress(psutil.Error):
        return process.status() != psutil.STATUS_ZOMBIE
    return False


def wait_for(what: str, probe, timeout: float, interval: float = 0.5, died=None):
    """Call ``probe`` until it returns something true; fail after ``timeout`` seconds, or at
    once when ``died()`` says what went wrong."""
    deadline = time.monotonic() + timeout
    while True:
        result = probe()
        if result:
            return result
        failure = died() if died else None
        if failure:
            raise AssertionError(f"{what}: {failure}")
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: nothing after {timeout:.0f} s")
        time.sleep(interval)


def git(*args, cwd: Path, env: dict | None = None) -> str:
    result = subprocess.run(["git", *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0, f"git {' '.join(map(str, args))}: {result.stderr}"
    return result.stdout


def git_daemon(processes: Processes, base: Path, folder: Path) -> str:
    """Serve the repositories under ``base`` read-only on git://127.0.0.1:<port>/; returns that URL.
    (nbgitpuller clones with --depth 1, which git's "dumb" HTTP cannot serve.)"""
    port = free_port()
    daemon = processes.start(
        "git-daemon",
        ["git", "daemon", f"--base-path={base}", "--export-all", "--reuseaddr", f"--listen={LOCAL}", f"--port={port}"],
        cwd=folder,
        env=dict(os.environ),
    )
    url = f"git://{LOCAL}:{port}/"

    def answers():
        probe = subprocess.run(["git", "ls-remote", url + "probe"], capture_output=True, text=True, timeout=30)
        return "not found" in probe.stderr or "access denied" in probe.stderr or probe.returncode == 0

    def died():
        return daemon.poll() is not None and f"exited ({daemon.returncode}): {_tail(processes.logs / 'git-daemon.log')}"

    wait_for("git daemon", answers, 60, died=died)
    return url


@dataclass
class Hub:
    url: str
    homes: Path
    password: str
    process: subprocess.Popen
    log: Path

    def home(self, user: str) -> Path:
        return self.homes / user

    def log_tail(self, lines: int = 80) -> str:
        return _tail(self.log, lines)


def _tail(path: Path, lines: int = 80) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def start_hub(processes: Processes, folder: Path) -> Hub:
    """JupyterHub on 127.0.0.1 with the dummy authenticator (one shared password) and the simple
    local spawner (a home folder per student under ``folder/homes``); every file in ``folder``."""
    port, hub_port, api_port = free_port(), free_port(), free_port()
    homes = folder / "homes"
    homes.mkdir()
    password = secrets.token_urlsafe(16)
    environment = {
        "PATH": f"{BIN}:/usr/local/bin:/usr/bin:/bin",  # the venv's jupyter, and git for nbgitpuller
        MARK: processes.run_id,
        "JUPYTER_RUNTIME_DIR": short_folder(),  # the kernels' IPC sockets (tests/ipc_kernels.py)
        **{name: os.environ[name] for name in PASSED_ON if name in os.environ},
    }
    settings = {
        "JupyterHub.bind_url": f"http://{LOCAL}:{port}",
        "JupyterHub.hub_bind_url": f"http://{LOCAL}:{hub_port}",
        "JupyterHub.db_url": f"sqlite:///{folder / 'jupyterhub.sqlite'}",
        "JupyterHub.cookie_secret_file": str(folder / "jupyterhub_cookie_secret"),
        "JupyterHub.pid_file": str(folder / "jupyterhub.pid"),
        "JupyterHub.authenticator_class": "dummy",
        "JupyterHub.spawner_class": "simple",
        "ConfigurableHTTPProxy.api_url": f"http://{LOCAL}:{api_port}",
        "ConfigurableHTTPProxy.command": [str(PROXY)],
        "ConfigurableHTTPProxy.pid_file": str(folder / "proxy.pid"),
        "ConfigurableHTTPProxy.auth_token": secrets.token_hex(32),
        "DummyAuthenticator.password": password,
        "Authenticator.allow_all": True,
        "SimpleLocalProcessSpawner.home_dir_template": str(homes / "{username}"),
        "Spawner.cmd": [str(BIN / "jupyterhub-singleuser")],
        "Spawner.args": ["--allow-root", *SERVER_ARGS],  # the machines run as root
        "Spawner.ip": LOCAL,
        "Spawner.default_url": "/lab",
        "Spawner.environment": environment,
        "Spawner.start_timeout": START_TIMEOUT,
        "Spawner.http_timeout": START_TIMEOUT,
    }
    config = folder / "jupyterhub_config.py"
    config.write_text(
        "c = get_config()  # noqa\n" + "".join(f"c.{key} = {value!r}\n" for key, value in settings.items()),
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "CONFIGPROXY"))}
    process = processes.start("jupyterhub", [sys.executable, "-m", "jupyterhub", "-f", config], cwd=folder, env=env)
    hub = Hub(f"http://{LOCAL}:{port}", homes, password, process, processes.logs / "jupyterhub.log")

    probe = requests.Session()
    probe.trust_env = False  # 127.0.0.1 only: never through a proxy from the environment

    def up():
        with contextlib.suppress(requests.RequestException):
            return probe.get(f"{hub.url}/hub/api", timeout=5).status_code == 200

    def died():
        return process.poll() is not None and f"the hub exited ({process.returncode}):\n{hub.log_tail()}"

    wait_for("JupyterHub start", up, START_TIMEOUT, died=died)
    return hub


def git_pull_link(hub: Hub, repository: str, branch: str, lesson: str) -> str:
    """The README's nbgitpuller link: ``https://<your-hub>/hub/user-redirect/git-pull?repo=<url-encoded
    repository URL>&branch=<branch>&urlpath=lab/tree/<repository name>/notebooks/<lesson>``."""
    name = repository.rstrip("/").rsplit("/", 1)[-1]
    return (
        f"{hub.url}/hub/user-redirect/git-pull?repo={quote(repository, safe='')}"
        f"&branch={branch}&urlpath=lab/tree/{name}/notebooks/{lesson}"
    )


@dataclass
class Pull:
    phase: str  # finished, or error
    events: list[dict] = field(default_factory=list)

    def transcript(self) -> str:
        return "\n".join(str(e.get("output") or e.get("message") or e).rstrip() for e in self.events)


class Student:
    """A browser's requests session: cookies, the XSRF token of each path, Sec-Fetch headers."""

    def __init__(self, hub: Hub, name: str):
        self.hub, self.name = hub, name
        self.session = requests.Session()
        self.session.trust_env = False  # 127.0.0.1 only: never through a proxy from the environment
        self.base = f"/user/{name}/"

    def log_in(self) -> None:
        self._page(f"{self.hub.url}/hub/login")
        response = self.session.post(
            f"{self.hub.url}/hub/login",
            data={"username": self.name, "password": self.hub.password, "_xsrf": self._xsrf("/hub/")},
            headers={"Sec-Fetch-Mode": "navigate"},
            allow_redirects=False,
            timeout=HTTP_TIMEOUT,
        )
        assert response.status_code == 302, f"login refused ({response.status_code}):\n{self.hub.log_tail()}"

    def follow(self, link: str) -> dict[str, str]:
        """Open an nbgitpuller link as the browser does: the hub spawns the student's server
        (the spawn-pending page, polled), then nbgitpuller's page, whose ``data-`` attributes
        its script reads. Returns them."""

        def arrived():
            response = self._page(current["url"])
            current["url"] = response.url
            if urlsplit(response.url).path == f"{self.base}git-pull":
                return response
            assert "/hub/spawn-pending/" in response.url, f"unexpected page {response.url}:\n{self.hub.log_tail()}"

        current = {"url": link}
        response = wait_for("the student's server", arrived, START_TIMEOUT, interval=1)
        body = re.search(r"<body([^>]*)>", response.text, re.S)
        attributes = dict(re.findall(r'data-([a-z-]+)="([^"]*)"', body.group(1) if body else ""))
        return {key: unquote(unescape(value)) for key, value in attributes.items()}

    def pull(self, page: dict[str, str]) -> Pull:
        """What nbgitpuller's page script does: the pull API as server-sent events, read to the
        end (phase ``finished`` or ``error``)."""
        query = {"_xsrf": page["xsrf"], "repo": page["repo"], "targetpath": page["targetpath"]}
        query |= {key: page[key] for key in ("depth", "branch", "backup") if key in page}
        url = f"{self.hub.url}{page['base-url']}git-pull/api?{urlencode(query)}"
        pull = Pull(phase="(stream ended)")
        deadline = time.monotonic() + PULL_TIMEOUT
        headers = {"Accept": "text/event-stream", "Sec-Fetch-Mode": "cors"}
        with self.session.get(url, stream=True, headers=headers, timeout=(HTTP_TIMEOUT, PULL_TIMEOUT)) as response:
            assert response.status_code == 200, f"pull API: {response.status_code} {response.text[:500]}"
            for line in response.iter_lines(decode_unicode=True):
                if line and line.startswith("data:"):
                    event = json.loads(line[5:])
                    pull.events.append(event)
                    if event.get("phase") in ("finished", "error"):
                        pull.phase = event["phase"]
                        break
                assert time.monotonic() < deadline, f"pull API: no end after {PULL_TIMEOUT} s:\n{pull.transcript()}"
        return pull

    def open_page(self, path: str) -> requests.Response:
        """Where nbgitpuller's page sends the browser after the pull (``base-url`` + ``path``)."""
        return self._page(f"{self.hub.url}{path}")

    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        """The single-user server's REST API, as JupyterLab calls it (cookie and XSRF header)."""
        headers = {"X-XSRFToken": self._xsrf(self.base), "Sec-Fetch-Mode": "cors"}
        return self.session.request(
            method, f"{self.hub.url}{self.base}api/{path}", headers=headers, timeout=HTTP_TIMEOUT, **kwargs
        )

    def run_cells(self, kernel_id: str, cells: list[str]) -> list[dict]:
        """Send each cell as an ``execute_request`` on the kernel's websocket and wait for its
        ``execute_reply``; stop at the first error. Returns the replies' contents, each with the
        text the cell printed."""

        async def bounded():
            try:
                return await asyncio.wait_for(self._run_cells(kernel_id, cells), LESSON_TIMEOUT)
            except TimeoutError:
                raise AssertionError(
                    f"the lesson did not finish in {LESSON_TIMEOUT} s:\n{self.hub.log_tail()}"
                ) from None

        return _run_in_own_loop(bounded)

    async def _run_cells(self, kernel_id: str, cells: list[str]) -> list[dict]:
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect

        http = f"{self.hub.url}{self.base}api/kernels/{kernel_id}/channels"
        cookie = self.session.prepare_request(requests.Request("GET", http)).headers.get("Cookie", "")
        request = HTTPRequest(
            "ws" + http.removeprefix("http") + f"?session_id={uuid.uuid4().hex}",
            headers={"Cookie": cookie, "X-XSRFToken": self._xsrf(self.base), "Sec-Fetch-Mode": "websocket"},
            connect_timeout=HTTP_TIMEOUT,
            request_timeout=HTTP_TIMEOUT,
        )
        socket_ = await websocket_connect(request)
        session, replies = uuid.uuid4().hex, []
        try:
            for number, code in enumerate(cells, 1):
                msg_id = uuid.uuid4().hex
                socket_.write_message(json.dumps(_execute_request(msg_id, session, self.name, code)))
                printed = []
                while True:
                    try:
                        raw = await asyncio.wait_for(socket_.read_message(), CELL_TIMEOUT)
                    except TimeoutError:
                        raise AssertionError(f"cell {number}: no answer in {CELL_TIMEOUT} s") from None
                    assert raw is not None, f"cell {number}: the kernel's websocket closed"
                    message = json.loads(raw)
                    if message.get("parent_header", {}).get("msg_id") != msg_id:
                        continue
                    kind, content = message["msg_type"], message["content"]
                    if kind == "stream":
                        printed.append(content["text"])
                    elif kind in ("execute_result", "display_data"):
                        printed.append(content["data"].get("text/plain", ""))
                    elif kind == "execute_reply":
                        replies.append({**content, "cell": number, "printed": "".join(printed)})
                        break
                if content["status"] != "ok":
                    break
        finally:
            socket_.close()
        return replies

    def _page(self, url: str) -> requests.Response:
        response = self.session.get(url, headers={"Sec-Fetch-Mode": "navigate"}, timeout=HTTP_TIMEOUT)
        assert response.status_code == 200, f"{url}: {response.status_code}\n{self.hub.log_tail()}"
        return response

    def _xsrf(self, path: str) -> str:
        token = self.session.cookies.get("_xsrf", path=path)
        assert token, f"no _xsrf cookie for {path}: {[(c.name, c.path) for c in self.session.cookies]}"
        return token


def _execute_request(msg_id: str, session: str, user: str, code: str) -> dict:
    now = datetime.datetime.now(datetime.UTC).isoformat()
    header = {"msg_id": msg_id, "msg_type": "execute_request", "session": session, "username": user}
    return {
        "header": {**header, "version": "5.3", "date": now},
        "parent_header": {},
        "metadata": {},
        "content": {
            "code": code,
            "silent": False,
            "store_history": True,
            "user_expressions": {},
            "allow_stdin": False,
            "stop_on_error": True,
        },
        "channel": "shell",
        "buffers": [],
    }


def memory(processes: Processes, kernel_id: str) -> dict[str, dict[str, float]]:
    """RSS and PSS in MiB of the hub, the proxy, the student's single-user server and the kernel."""

    def which(process: psutil.Process) -> str | None:
        line = " ".join(process.cmdline())
        if kernel_id in line and "ipykernel" in line:
            return "kernel"
        if "jupyterhub-singleuser" in line:
            return "single-user server"
        if "configurable-http-proxy" in line:
            return "proxy"
        if "-m jupyterhub " in line:
            return "hub"
        return None

    found: dict[str, dict[str, float]] = {}
    for process in processes.marked():
        with contextlib.suppress(psutil.Error):
            role = which(process)
            if role:
                assert role not in found, f"two processes look like the {role}"
                info = process.memory_full_info()
                found[role] = {"rss_mib": round(info.rss / 2**20, 1), "pss_mib": round(info.pss / 2**20, 1)}
    return found


def versions() -> dict[str, str]:
    from importlib.metadata import version

    found = {name: version(name) for name in ("jupyterhub", "nbgitpuller", "jupyterlab", "jupyter_server", "ipykernel")}
    package = PROXY.resolve().parents[1] / "package.json"
    with contextlib.suppress(OSError, ValueError, KeyError):
        found["configurable-http-proxy"] = json.loads(package.read_text())["version"]
    found["python"] = sys.version.split()[0]
    return found


def code_cells(notebook: dict) -> Iterator[str]:
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            source = cell["source"]
            yield source if isinstance(source, str) else "".join(source)


def _run_in_own_loop(make_coroutine):
    """Run a coroutine to the end in a thread with its own event loop: the pytest process may
    already run one (Playwright's sync API keeps a loop running while the browser tests' context
    is open), and asyncio.run refuses to nest."""
    import threading

    box = {}

    def target():
        try:
            box["result"] = asyncio.run(make_coroutine())
        except BaseException as error:  # handed to the caller below
            box["error"] = error

    thread = threading.Thread(target=target, name="kernel-websocket", daemon=True)
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box["result"]
