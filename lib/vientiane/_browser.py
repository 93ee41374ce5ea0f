"""What the library does only in the live edition, where Python is Pyodide in the browser."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from importlib import resources
from pathlib import Path

# Built by ``make live`` with the site's own matplotlib (in Pyodide) and shipped in the wheel.
FONT_LIST = "collection/matplotlib-fontlist.json"


def install_font_list(name: str = FONT_LIST) -> bool:
    """Put matplotlib's font list where matplotlib reads it, before matplotlib needs it, so the
    first figure does not wait while matplotlib scans its fonts (seconds in a browser). Pyodide's
    matplotlib 3.8.4 reads ``matplotlib/fontlist.json`` and ships one of another version (390,
    not its 330), which it throws away and builds again in every new kernel. The one file this
    library writes outside the figures folder: matplotlib's own, in the browser's memory (where
    matplotlib would write it itself). True when copied.

    >>> install_font_list("no such file")
    False
    """
    source = resources.files("vientiane").joinpath(name)
    spec = importlib.util.find_spec("matplotlib")  # without importing it
    if not source.is_file() or spec is None or "matplotlib.font_manager" in sys.modules:
        return False
    with resources.as_file(source) as path:
        shutil.copyfile(path, Path(spec.origin).parent / "fontlist.json")
    return True
