"""Saving figures so that the same inputs give the same bytes, with alt text beside them.

Each lesson saves its figures as ``figures/NN_<name>.png`` (slides) and ``.svg`` (print)
plus ``NN_<name>.json`` with the alt text and the facts the figure shows, from which
``make figures`` builds ``figures/index.csv``.
"""

from __future__ import annotations

import base64
import io
import json
import os
import re
from pathlib import Path

import matplotlib

FIGURES = Path(__file__).resolve().parents[2] / "figures"

# No dates, no software versions, a fixed hash salt: byte-identical files run after run.
PNG_METADATA = {"Software": None}
SVG_METADATA = {"Date": None, "Creator": None}
PDF_METADATA = {"CreationDate": None, "Producer": None, "Creator": None}
DPI = 150

matplotlib.rcParams["svg.hashsalt"] = "vientiane-2016"


def figures_dir() -> Path:
    """Where figures are written: $VIENTIANE_FIGURES (set by ``make figures``) or figures/."""
    return Path(os.environ.get("VIENTIANE_FIGURES", FIGURES))


def png_bytes(fig) -> bytes:
    """The figure as PNG bytes, reproducibly (no metadata that changes).

    >>> from matplotlib.figure import Figure
    >>> png_bytes(Figure())[:4]
    b'\\x89PNG'
    """
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, metadata=PNG_METADATA)
    return buffer.getvalue()


def svg_text(fig) -> str:
    """The figure as SVG text, reproducibly."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata=SVG_METADATA)
    return buffer.getvalue()


class SavedFigure:
    """What ``save`` returns: shows the saved PNG in a notebook, with the alt text."""

    def __init__(self, name: str, png: bytes, alt: str):
        self.name, self.png, self.alt = name, png, alt

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"image/png": base64.b64encode(self.png).decode(), "text/plain": f"[figure {self.name}] {self.alt}"}

    def __repr__(self) -> str:
        return f"SavedFigure({self.name!r})"


def save(fig, name: str, alt: str, shows: str = "") -> SavedFigure:
    """Save ``fig`` as figures/<name>.png and .svg with its alt text; show it in the notebook.

    ``name`` starts with the lesson's number (``"02_membership_matrix"``); ``alt`` describes
    the figure for a reader who cannot see it; ``shows`` names the facts it draws.

    >>> from matplotlib.figure import Figure
    >>> import tempfile, os
    >>> os.environ["VIENTIANE_FIGURES"] = tempfile.mkdtemp()
    >>> save(Figure(), "99_empty", alt="An empty figure.")
    SavedFigure('99_empty')
    >>> del os.environ["VIENTIANE_FIGURES"]
    """
    if not re.fullmatch(r"\d\d_[a-z0-9_]+", name):
        raise ValueError(f"figure name {name!r} must look like '02_membership_matrix' (lesson number first)")
    if not alt.strip():
        raise ValueError(f"figure {name!r} needs alt text")
    folder = figures_dir()
    folder.mkdir(parents=True, exist_ok=True)
    png = png_bytes(fig)
    _write(folder / f"{name}.png", png)
    _write(folder / f"{name}.svg", svg_text(fig).encode("utf-8"))
    sidecar = {"figure": name, "lesson": name[:2], "alt": alt.strip(), "shows": shows.strip()}
    _write(folder / f"{name}.json", (json.dumps(sidecar, indent=1, ensure_ascii=False) + "\n").encode("utf-8"))
    return SavedFigure(name, png, alt.strip())


def _write(path: Path, data: bytes) -> None:
    """Write through a temporary file, so an interrupted save never leaves half a figure."""
    temporary = path.with_name(path.name + ".part")
    temporary.write_bytes(data)
    temporary.replace(path)
