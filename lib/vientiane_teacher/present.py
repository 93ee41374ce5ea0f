"""A lesson's explorers as a Voilà dashboard, for projecting in class.

    python -m vientiane_teacher.present 02         # or: make present LESSON=02

serves a page with the lesson's title and its explorers, and no code, on this computer only
(127.0.0.1, with a random token in the address), and opens it in the browser. Ctrl-C stops it.

The page is a small dashboard notebook built from the lesson (a title, ``facts =
vientiane.load()``, then each cell of the lesson tagged ``present``: its explorers), not the
lesson itself. Voilà would hide the lesson's code, but it would still show every paragraph,
table, exercise and figure, and run every cell first, exercises included: too much for a
projector, and slower. The lesson stays the one source of truth: the tagged cells are copied
as they are.

The explorers write their results into the Output widget's state from the kernel and never
capture printed output. That is what keeps Voilà pages from hanging: while it runs a cell
whose output goes into an Output widget (``interact``, ``with out:``), Voilà's executor
(nbclient) sends comm messages to the kernel on the same socket on which it awaits the
reply, and now and then misses that reply and waits forever.

The README is the manual; the cells come from ``lessons.Lesson`` (role ``present``).
"""

from __future__ import annotations

import argparse
import secrets
import socket
import tempfile
import threading
import time
import webbrowser
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from .lessons import PRESENT, ROOT, Lesson, has_role

NOTEBOOKS = ROOT / "notebooks" if ROOT else Path("notebooks")
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def lesson_path(lesson: str, notebooks: Path = NOTEBOOKS) -> Path:
    """The notebook of lesson ``"02"`` (``"2"`` works too), or ``lesson`` itself if it names a notebook."""
    if lesson.endswith(".ipynb"):
        path = Path(lesson)
    elif lesson.isdigit():
        found = sorted(Path(notebooks).glob(f"{int(lesson):02d}_*.ipynb"))
        path = found[0] if found else Path(notebooks) / f"{int(lesson):02d}_*.ipynb"
    else:
        raise LookupError(f"{lesson!r} is neither a lesson number nor a notebook")
    if not path.is_file():
        raise LookupError(f"no lesson notebook {path}")
    return path


def explorer_cells(notebook) -> list[str]:
    """The sources of the lesson's code cells with the role ``present`` (its explorers), in order.

    >>> cell = new_code_cell("vientiane.widgets.country_explorer(facts)", metadata={"tags": ["present"]})
    >>> explorer_cells(new_notebook(cells=[new_code_cell("1 + 1"), cell]))
    ['vientiane.widgets.country_explorer(facts)']
    """
    return [cell.source for cell in notebook.cells if cell.cell_type == "code" and has_role(cell, PRESENT)]


def dashboard(lesson: Path) -> nbformat.NotebookNode:
    """The dashboard notebook for ``lesson``: its title, the facts, and one cell per explorer."""
    model = Lesson.from_path(lesson)
    calls = explorer_cells(model.notebook)
    if not calls:
        raise LookupError(f"{lesson.name} has no cell tagged '{PRESENT}' (its explorers) to present")
    cells = [
        new_markdown_cell(f"# {model.title}"),
        new_code_cell("import vientiane\n\nfacts = vientiane.load()"),
    ]
    cells += [new_code_cell(call) for call in calls]
    return new_notebook(cells=cells, metadata={"kernelspec": KERNELSPEC})


def free_port(preferred: int = 8866) -> int:
    """``preferred`` (Voilà's usual port) if it is free on 127.0.0.1, else any free port.

    ``preferred=0`` asks for any free port straight away (the browser tests do).
    """
    for port in (preferred, 0):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise OSError("no free port on 127.0.0.1")


def serve(notebook: Path, port: int, token: str, open_browser: bool = True) -> None:
    """Serve ``notebook`` with Voilà on 127.0.0.1:``port`` until Ctrl-C (or SIGTERM)."""
    from voila.app import Voila

    url = f"http://127.0.0.1:{port}/?token={token}"
    print(f"Presenting {notebook.stem} at {url}  (Ctrl-C to stop)", flush=True)
    if open_browser:
        # Voilà's own browser opening drops the token, so open the page once the port answers.
        threading.Thread(target=_open_when_listening, args=(url, port), daemon=True).start()
    Voila.launch_instance(
        argv=[
            str(notebook),
            "--no-browser",
            "--Voila.ip=127.0.0.1",
            f"--port={port}",
            "--Voila.port_retries=0",  # the address printed above must be the one served
            f"--Voila.token={token}",
            # A cell that never finishes becomes an error on the page instead of an endless spinner.
            "--VoilaExecutor.timeout=120",
            # The kernel listens on IPC sockets in Voila's own folder under /tmp, not on TCP ports
            # that are picked here and bound a moment later by the kernel (another program can take
            # one first: the kernel dies with "Address already in use"); as runner.execute does.
            "--KernelManager.transport=ipc",
        ]
    )


def _open_when_listening(url: str, port: int, wait: float = 60) -> None:
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        except OSError:
            time.sleep(0.2)
            continue
        webbrowser.open(url)
        return


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m vientiane_teacher.present", description=__doc__.split("\n\n")[0])
    parser.add_argument("lesson", help='the lesson number ("02"), or the path of a lesson notebook')
    parser.add_argument("--port", type=int, help="port on 127.0.0.1 (default: 8866, or a free one)")
    parser.add_argument("--token", help="the token in the address (default: a new random one)")
    parser.add_argument("--no-browser", action="store_true", help="do not open the page in a browser")
    args = parser.parse_args(argv)
    try:
        lesson = lesson_path(args.lesson)
        notebook = dashboard(lesson)
    except LookupError as error:
        parser.exit(2, f"{error}\n")
    with tempfile.TemporaryDirectory(prefix="vientiane-present-") as folder:
        path = Path(folder) / lesson.name  # the browser tab shows the lesson's name
        nbformat.write(notebook, path)
        serve(path, args.port or free_port(), args.token or secrets.token_urlsafe(16), not args.no_browser)


if __name__ == "__main__":
    main()
