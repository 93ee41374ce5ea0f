"""Helpers for the browser tests: isolated Jupyter servers, and what a page must show.

Measured on these machines (see /work/shared/notes/browser-testing.md): servers listen on
127.0.0.1 only, with a random token, in their own process group, and are always stopped
together with every kernel they started.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.ipc_kernels import SERVER_ARGS, short_folder
from tests.repo import ROOT
from vientiane_teacher.audit import CHROMIUM_FLAGS  # noqa: F401 (the browser fixtures use them)
from vientiane_teacher.present import free_port

SCREENSHOTS = ROOT / "build" / "screenshots"
VIEWPORT = {"width": 1280, "height": 900}
# Limits (milliseconds, as Playwright counts) far above what each wait costs here (server 2 s,
# a lesson's Run All 1-2 s, an explorer's redraw well under 1 s): reached only when something
# is broken, never because both cores are busy. Waits that succeed cost no more for it.
SERVER_WAIT = 180_000  # a server listening and answering; a page loaded
ACTION_WAIT = 90_000  # an element shown, an output changed after a key press
RUN_ALL_WAIT = 600_000  # every cell of a lesson run in the browser

# What a page shows instead of a widget when something is broken.
BROKEN = (
    "Error displaying widget",
    "model not found",
    "Failed to load model class",
    "There was an error when executing cell",  # Voila, tracebacks hidden
    "Cell execution timed out",  # Voila
)
# A widget's text repr, shown when no widget manager renders it (the extension is missing).
REPR = re.compile(
    r"\b(?:Int(?:Range)?Slider|Dropdown|SelectMultiple|Text|[VH]Box|Output|Explorer)\((?:value=|children=|options=|outputs=|')"
)
# Outputs of the notebook in view (Lab keeps other open notebooks in the DOM, hidden).
OUTPUTS = {"lab": ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output", "voila": ".jp-OutputArea-output"}

# Lab settings that keep the page quiet and complete (one file per plugin).
LAB_SETTINGS = {
    # The news / update toasts cover the page.
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    # Every cell stays in the DOM, however long the lesson.
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    # The copy under test is not rewritten while a test looks at it.
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
}


# ------------------------------------------------------------------------------ servers


def isolated_env(home: Path, figures: Path) -> dict[str, str]:
    """Environment for a server and its kernels that reads and writes nothing of the user's."""
    env = dict(os.environ)
    env.pop("MPLBACKEND", None)  # the lessons' figures are inline outputs
    for name, folder in {
        "JUPYTER_CONFIG_DIR": "config",
        "JUPYTER_DATA_DIR": "data",  # also where `jupyter trust` keeps its signatures
        "IPYTHONDIR": "ipython",
        "JUPYTERLAB_SETTINGS_DIR": "settings",
        "JUPYTERLAB_WORKSPACES_DIR": "workspaces",
    }.items():
        (home / folder).mkdir(parents=True, exist_ok=True)
        env[name] = str(home / folder)
    env["JUPYTER_RUNTIME_DIR"] = short_folder()  # kernels' sockets are there (tests/ipc_kernels.py)
    for plugin, settings in LAB_SETTINGS.items():
        path = home / "settings" / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(settings))
    # Lessons save their figures; a run in the browser must not rewrite figures/.
    env["VIENTIANE_FIGURES"] = str(figures)
    return env


class Server:
    """A Jupyter server process in its own process group; a context manager that always stops it."""

    def __init__(self, argv: list[str], env: dict[str, str], log: Path, port: int, token: str):
        self.argv, self.env, self.log, self.port, self.token = argv, env, log, port, token
        self.process: subprocess.Popen | None = None

    def url(self, path: str = "") -> str:
        sep = "&" if "?" in path else "?"
        return f"http://127.0.0.1:{self.port}/{path}{sep}token={self.token}"

    def __enter__(self) -> Server:
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                self.argv, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        return self

    def __exit__(self, *exc) -> None:
        if self.process is not None:
            stop(self.process)

    def wait_listening(self, timeout: float = SERVER_WAIT / 1000) -> None:
        """Until the port accepts connections (a bare connect: asking Voila for / would run the lesson)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.2)
        raise TimeoutError(f"server not listening after {timeout} s:\n{self.log_tail()}")

    def wait_api(self, timeout: float = SERVER_WAIT / 1000) -> None:
        """Until Jupyter's /api/status answers (JupyterLab)."""
        self.wait_listening(timeout)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url("api/status"), timeout=5) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise TimeoutError(f"server API not ready after {timeout} s:\n{self.log_tail()}")

    def api(self, method: str, path: str):
        """A Jupyter REST call with the token; the decoded JSON answer (or None)."""
        request = urllib.request.Request(self.url(path), method=method)
        with urllib.request.urlopen(request, timeout=10) as answer:
            body = answer.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self) -> None:
        """Stop every kernel of a Lab server (between tests: two cores are few)."""
        for session in self.api("GET", "api/sessions"):
            self.api("DELETE", f"api/sessions/{session['id']}")

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


def lab_server(root: Path, home: Path, env: dict[str, str]) -> Server:
    """JupyterLab serving ``root``; the app is exposed to the page so tests can run its commands."""
    port, token = free_port(preferred=0), secrets.token_hex(16)
    argv = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        "--LabApp.extension_manager=readonly",
        "--LabApp.expose_app_in_browser=True",
        *SERVER_ARGS,
    ]
    if os.geteuid() == 0:
        argv.append("--allow-root")
    return Server(argv, env, home / "lab.log", port, token)


def present_server(lesson: Path, home: Path, env: dict[str, str]) -> Server:
    """``python -m vientiane_teacher.present`` (Voila) for one lesson notebook."""
    port, token = free_port(preferred=0), secrets.token_hex(16)
    argv = [sys.executable, "-m", "vientiane_teacher.present", str(lesson), f"--port={port}", f"--token={token}"]
    return Server([*argv, "--no-browser"], env, home / f"present-{lesson.stem}.log", port, token)


def stop(process: subprocess.Popen, grace: float = 15) -> None:
    """Stop a server started with ``start_new_session`` and every kernel it started.

    SIGTERM to the group lets the server shut its kernels down; SIGKILL follows if it hangs.
    Kernels run in sessions of their own (jupyter_client starts them so), so any that outlive
    the server are killed by pid, after checking the pid still runs the same command.
    """
    kernels = {pid: _cmdline(pid) for pid in _descendants(process.pid)}
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            pass
        try:
            process.wait(wait)
            break
        except subprocess.TimeoutExpired:
            continue
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(_cmdline(pid) == cmd for pid, cmd in kernels.items()):
        time.sleep(0.1)
    for pid, cmd in kernels.items():
        if cmd and _cmdline(pid) == cmd:
            os.kill(pid, signal.SIGKILL)


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def kernel_transports(server: Server) -> list[str]:
    """The transport of each kernel ``server`` runs now, read from the connection file on its
    command line ("ipc" for every kernel the tests start: see tests/ipc_kernels.py)."""
    found = []
    for pid in _descendants(server.process.pid):
        argv = _cmdline(pid).decode(errors="replace").split("\0")
        if "ipykernel_launcher" in " ".join(argv) and "-f" in argv:
            connection = Path(argv[argv.index("-f") + 1])
            found.append(json.loads(connection.read_text(encoding="utf-8")).get("transport", "?"))
    return found


# --------------------------------------------------------------------------- the pages

# The text of an Output widget plus the address of its images: what must change.
SNAPSHOT_JS = "el => el.innerText + '\\n' + [...el.querySelectorAll('img')].map(i => i.src).join('\\n')"


def wait_for_explorers(page, mode: str, expected: int, timeout: float = SERVER_WAIT):
    """Wait until ``expected`` explorers show in outputs, or something broken shows; then check.

    Returns the explorers' locators. Fails with what the outputs say instead.
    """
    outputs = OUTPUTS[mode]
    page.wait_for_function(
        """([outputs, expected, broken, repr]) => {
            const texts = [...document.querySelectorAll(outputs)].map(e => e.innerText).join('\\n');
            return document.querySelectorAll(outputs + ' .vientiane-explorer').length >= expected
                || broken.some(b => texts.includes(b)) || new RegExp(repr).test(texts);
        }""",
        arg=[outputs, expected, list(BROKEN), REPR.pattern],
        timeout=timeout,
    )
    text = "\n".join(page.locator(outputs).all_inner_texts())
    broken = [b for b in BROKEN if b in text] + REPR.findall(text)
    assert not broken, f"widgets not rendered, the outputs say {broken}: {_excerpt(text, broken[0])}"
    explorers = page.locator(f"{outputs} .vientiane-explorer")
    assert explorers.count() == expected, f"{explorers.count()} explorers shown, {expected} expected"
    return explorers.all()


def output_snapshot(explorer) -> str:
    return explorer.locator(".vientiane-output").first.evaluate(SNAPSHOT_JS)


def operate_first_control(page, explorer, timeout: float = ACTION_WAIT) -> str:
    """Change the explorer's first control as a user would; wait until its output changes.

    Only a changed output proves a live kernel: restored widgets move without one.
    Returns the kind of control operated.
    """
    before = output_snapshot(explorer)
    assert before.strip(), "the explorer's output is empty before any change"
    control = explorer.locator(":scope > .widget-hbox > *").first
    classes = control.get_attribute("class") or ""
    if "widget-dropdown" in classes:
        kind = "dropdown"
        select = control.locator("select")
        current = select.evaluate("s => s.selectedIndex")
        select.select_option(index=1 if current == 0 else 0)
    elif "widget-select-multiple" in classes:
        kind = "select-multiple"
        control.locator("option:not(:checked)").first.click()
    elif "widget-text" in classes and control.locator("input[type=number]").count():
        kind = "number"  # from the keyboard, as a user without a mouse would
        box = control.locator("input")
        box.focus()
        at_top = box.evaluate("b => b.value === b.max")
        page.keyboard.press("ArrowDown" if at_top else "ArrowUp")
        page.keyboard.press("Enter")
    elif "widget-text" in classes:
        kind = "text"
        box = control.locator("input")
        box.fill("Lavrov")
        box.press("Enter")
    elif "widget-slider" in classes or "widget-hslider" in classes:
        kind = "slider"
        control.locator(".noUi-handle").first.focus()
        page.keyboard.press("ArrowRight")
    else:
        raise AssertionError(f"no way to operate a control with classes {classes!r}: teach operate_first_control")
    handle = explorer.locator(".vientiane-output").first.element_handle()
    try:
        page.wait_for_function(
            f"([el, before]) => ({SNAPSHOT_JS})(el) !== before", arg=[handle, before], timeout=timeout
        )
    except Exception as error:
        raise AssertionError(f"operating the {kind} did not change the output") from error
    return kind


def screenshot(page, name: str, top=None) -> Path:
    """build/screenshots/<name>.png of the viewport, with ``top`` (an element) scrolled to its top."""
    if top is not None:
        top.evaluate("e => e.scrollIntoView({block: 'start'})")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def _excerpt(text: str, needle: str, width: int = 200) -> str:
    at = max(0, text.find(needle))
    return repr(text[max(0, at - width // 2) : at + width])


# ------------------------------------------------------------------------- JupyterLab


def lab_open(page, server: Server, path: str, timeout: float = SERVER_WAIT) -> None:
    """Open a notebook in Lab and wait until its kernel is connected and idle."""
    # ?reset: start from an empty workspace, not with the notebooks an earlier test opened.
    page.goto(server.url(f"lab/tree/{path}?reset"), wait_until="domcontentloaded", timeout=timeout)
    page.locator(".jp-NotebookPanel .jp-Cell").first.wait_for(timeout=timeout)
    # The execution indicator says idle before the kernel is connected; a Run All then is lost.
    # On a busy machine even both of those held once while Run All was dropped: wait for the
    # notebook's own session to say its kernel is connected and idle too.
    page.wait_for_function(
        """() => {
            const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
            const status = panel && panel.querySelector('.jp-Notebook-ExecutionIndicator');
            const name = document.querySelector("[data-jp-item-name='kernelName']");
            const widget = window.jupyterapp && window.jupyterapp.shell.currentWidget;
            const context = widget && widget.sessionContext;
            const kernel = context && context.isReady && context.session && context.session.kernel;
            return status && status.dataset.status === 'idle' && name && !/No Kernel/.test(name.innerText)
                && kernel && kernel.connectionStatus === 'connected' && kernel.status === 'idle';
        }""",
        timeout=timeout,
    )


def lab_command(page, command: str) -> None:
    """Run a JupyterLab command (the same the menus run) on the current notebook."""
    page.evaluate("c => window.jupyterapp.commands.execute(c)", command)


def lab_run_all(page, timeout: float = RUN_ALL_WAIT) -> None:
    """Clear the saved outputs, Run All, and wait until every code cell ran.

    Clearing first matters: the committed outputs carry the same prompts [1], [2], … a
    fresh run gives, and explorers restored from them would pass for live ones.
    """
    lab_command(page, "notebook:clear-all-cell-outputs")
    page.wait_for_function(
        "() => ![...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')].some(p => /\\d/.test(p.innerText))",
        timeout=ACTION_WAIT,
    )
    lab_command(page, "notebook:run-all-cells")
    prompts_js = "[...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')].map(p => p.innerText)"
    page.wait_for_function(f"() => {prompts_js}.some(p => /\\[(\\*|\\d+)\\]/.test(p))", timeout=ACTION_WAIT)
    # Finished: the kernel idle and no cell queued or running. A cell that raised stops the
    # run and leaves the cells after it at [ ], which the check below reports.
    page.wait_for_function(
        f"""() => {{
            const status = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator');
            return status && status.dataset.status === 'idle' && !{prompts_js}.some(p => p.includes('*'));
        }}""",
        timeout=timeout,
    )
    prompts = page.locator(".jp-CodeCell .jp-InputArea-prompt").all_inner_texts()
    if not all(re.search(r"\[\d+\]", p) for p in prompts):
        errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
        raise AssertionError(f"Run All stopped: prompts {prompts}; errors: {errors.all_inner_texts()[-1:]}")
