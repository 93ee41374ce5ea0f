"""What the library does only in the live edition, where Python is Pyodide in the browser."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

# Built by ``make live`` with the site's own matplotlib (in Pyodide) and shipped in the wheel.
FONT_LIST = Path(__file__).resolve().parent / "collection" / "matplotlib-fontlist.json"


def install_font_list(source: Path = FONT_LIST) -> bool:
    """Put matplotlib's font list where matplotlib reads it, before matplotlib needs it, so the
    first figure does not wait while matplotlib scans its fonts (seconds in a browser). Pyodide's
    matplotlib 3.8.4 reads ``matplotlib/fontlist.json`` and ships one of another version (390,
    not its 330), which it throws away and builds again in every new kernel. True when copied.

    >>> install_font_list(Path("no such file"))
    False
    """
    spec = importlib.util.find_spec("matplotlib")  # without importing it
    if not source.is_file() or spec is None or "matplotlib.font_manager" in sys.modules:
        return False
    shutil.copyfile(source, Path(spec.origin).parent / "fontlist.json")
    return True
