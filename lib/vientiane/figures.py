"""Saving figures so that the same inputs give the same bytes, with alt text beside them.

Each lesson saves its figures as ``figures/NN_<name>.png`` (slides) and ``.svg`` (print)
plus ``NN_<name>.json`` with the alt text and the facts the figure shows, from which
``make figures`` builds ``figures/index.csv``. Where ``figures/`` is depends on where the
lesson runs (see ``paths.figures_dir``); where it cannot be written (a read-only hub image),
``save`` warns once and still shows the figure.
"""

from __future__ import annotations

import base64
import html
import io
import json
import re
import warnings
from pathlib import Path

import matplotlib

from . import paths

# No dates, no software versions, a fixed hash salt: byte-identical files run after run.
PNG_METADATA = {"Software": None}
SVG_METADATA = {"Date": None, "Creator": None}
PDF_METADATA = {"CreationDate": None, "Producer": None, "Creator": None}
SVG_SETTINGS = {"svg.hashsalt": "vientiane-2016", "svg.fonttype": "path"}
DPI = 150  # saved figures: slides and print
SCREEN_DPI = 100  # explorers: redrawn at every change, shown on screen only

_warned = set()  # folders already warned about: one warning each, not one per figure


class FigureNotSavedWarning(UserWarning):
    """A figure could not be written to disk (it is still shown in the notebook)."""


def figures_dir() -> Path:
    """Where figures are written (see ``paths.figures_dir``).

    >>> figures_dir().is_absolute()
    True
    """
    return paths.figures_dir()


def freeze_layout(fig) -> None:
    """Keep the layout of a figure's first drawing: a constrained layout run again on a later
    drawing starts from where the first left things and moves them by a pixel, so the same
    figure gave other bytes each time it was saved or shown. ``png_bytes`` and ``svg_text``
    call it after drawing.

    >>> from matplotlib.figure import Figure
    >>> fig = Figure(layout="constrained")
    >>> _ = png_bytes(fig, dpi=10)
    >>> type(fig.get_layout_engine()).__name__
    'PlaceHolderLayoutEngine'
    """
    engine = fig.get_layout_engine()
    if engine is not None and type(engine).__name__ != "PlaceHolderLayoutEngine":
        fig.set_layout_engine("none")  # "none", not None: keeps a colorbar's layout compatible


def png_bytes(fig, dpi: int = DPI) -> bytes:
    """The figure as PNG bytes, reproducibly (no metadata that changes); ``dpi`` 150 for
    slides and print, less for a quick redraw on screen.

    >>> from matplotlib.figure import Figure
    >>> png_bytes(Figure())[:4]
    b'\\x89PNG'
    """
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, metadata=PNG_METADATA)
    freeze_layout(fig)
    return buffer.getvalue()


def svg_text(fig, title: str = "", description: str = "") -> str:
    """The figure as SVG text, reproducibly; ``title`` and ``description`` (the alt text) go
    into the SVG's ``<title>`` and ``<desc>``, which screen readers announce.

    >>> from matplotlib.figure import Figure
    >>> "<desc>An empty figure.</desc>" in svg_text(Figure(), "99_empty", "An empty figure.")
    True
    """
    buffer = io.StringIO()
    with matplotlib.rc_context(SVG_SETTINGS):
        fig.savefig(buffer, format="svg", metadata=SVG_METADATA)
    freeze_layout(fig)
    text = buffer.getvalue()
    if title or description:
        label = f"<title>{html.escape(title)}</title><desc>{html.escape(description)}</desc>"
        text = re.sub(r"(<svg\b[^>]*?)>", lambda m: f'{m.group(1)} role="img">{label}', text, count=1)
    return text


def img_html(png: bytes, alt: str) -> str:
    """PNG bytes as an HTML ``<img>`` with its alt text, escaped.

    >>> img_html(b"x", 'a "quoted" <b>')
    '<img src="data:image/png;base64,eA==" alt="a &quot;quoted&quot; &lt;b&gt;" style="max-width:100%">'
    """
    source = base64.b64encode(png).decode()
    return f'<img src="data:image/png;base64,{source}" alt="{html.escape(alt)}" style="max-width:100%">'


class SavedFigure:
    """What ``save`` returns: shows the saved PNG in a notebook, with the alt text."""

    def __init__(self, name: str, png: bytes, alt: str):
        self.name, self.png, self.alt = name, png, alt

    def _repr_mimebundle_(self, include=None, exclude=None):
        # An <img> with its alt text: JupyterLab, Voilà and the HTML editions all keep the alt of
        # HTML, while a bare PNG output loses it. The text is what nbval compares.
        return {"text/html": img_html(self.png, self.alt), "text/plain": f"[figure {self.name}] {self.alt}"}

    def __repr__(self) -> str:
        return f"SavedFigure({self.name!r})"


def save(fig, name: str, alt: str | None = None, shows: str = "", folder=None) -> SavedFigure:
    """Save ``fig`` as figures/<name>.png and .svg with its alt text; show it in the notebook.

    ``name`` starts with the lesson's number (``"02_membership_matrix"``); ``alt`` describes
    the figure for a reader who cannot see it (default: the description the plot function
    wrote from the data it drew, ``fig.alt_text``); ``shows`` names the facts it draws;
    ``folder`` overrides where the files go (see ``figures_dir``).

    >>> from matplotlib.figure import Figure
    >>> import tempfile
    >>> save(Figure(), "99_empty", alt="An empty figure.", folder=tempfile.mkdtemp())
    SavedFigure('99_empty')
    """
    if not re.fullmatch(r"\d\d_[a-z0-9_]+", name):
        raise ValueError(f"figure name {name!r} must look like '02_membership_matrix' (lesson number first)")
    alt = (alt if alt is not None else getattr(fig, "alt_text", "")).strip()
    if not alt:
        raise ValueError(f"figure {name!r} needs alt text")
    png = png_bytes(fig)
    sidecar = {"figure": name, "lesson": name[:2], "alt": alt, "shows": shows.strip()}
    files = {
        f"{name}.png": png,
        f"{name}.svg": svg_text(fig, name, alt).encode("utf-8"),
        f"{name}.json": (json.dumps(sidecar, indent=1, ensure_ascii=False) + "\n").encode("utf-8"),
    }
    folder = Path(folder) if folder is not None else figures_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for file_name, data in files.items():
            _write(folder / file_name, data)
    except OSError as error:  # a lesson never fails because it cannot write a file
        if folder not in _warned:
            _warned.add(folder)
            warnings.warn(
                f"figures are not saved: cannot write to {folder} ({error.strerror}). They are still shown here; "
                "set VIENTIANE_FIGURES to a folder you can write to, to keep them.",
                FigureNotSavedWarning,
                stacklevel=2,
            )
    return SavedFigure(name, png, alt)


def _write(path: Path, data: bytes) -> None:
    """Write through a temporary file, so an interrupted save never leaves half a figure."""
    temporary = path.with_name(path.name + ".part")
    temporary.write_bytes(data)
    temporary.replace(path)
