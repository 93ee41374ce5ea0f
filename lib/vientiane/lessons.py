"""The lessons of the collection, read from the notebooks themselves (lesson 00 lists them).

Each lesson's first cell gives its title (``# NN · Title``), its time (``*Estimated time: N
minutes``) and its question (``**Question:** ...``): the list is made from those lines, so a
new lesson appears in it without anyone editing lesson 00.

>>> from vientiane import paths
>>> list(table(paths.collection() / "notebooks").columns)
['lesson', 'title', 'minutes', 'question']
"""

from __future__ import annotations

import json
import re
from pathlib import Path

LESSON_FILES = "[0-9][0-9]_*.ipynb"
_TITLE = re.compile(r"(?m)^# (\d\d) · (.+)$")
_TIME = re.compile(r"Estimated time: (\d+) minutes")
_QUESTION = re.compile(r"(?m)^\*\*Question:\*\*\s*(.+)$")


def first_cell(path: Path) -> str:
    """The text of a notebook's first markdown cell ("" when it has none).

    >>> from vientiane import paths
    >>> first_cell(paths.collection() / "notebooks" / "00_start_here.ipynb").startswith("# 00")
    True
    """
    cells = json.loads(Path(path).read_text(encoding="utf-8")).get("cells", [])
    for cell in cells:
        if cell.get("cell_type") == "markdown":
            source = cell.get("source", "")
            return "".join(source) if isinstance(source, list) else source
    return ""


def table(folder: str | Path = "."):
    """The lessons in ``folder`` (default: the folder the notebook runs in), in order: number,
    title, estimated minutes and question, one row each.

    >>> from vientiane import paths
    >>> table(paths.collection() / "notebooks")[["lesson", "minutes"]].head(1)
      lesson  minutes
    0     00       20
    """
    import pandas as pd

    rows = []
    for path in sorted(Path(folder).glob(LESSON_FILES)):
        text = first_cell(path)
        title, time, question = _TITLE.search(text), _TIME.search(text), _QUESTION.search(text)
        rows.append(
            {
                "lesson": path.name[:2],
                "title": title.group(2).strip() if title else path.stem,
                "minutes": int(time.group(1)) if time else None,
                "question": question.group(1).strip() if question else "",
            }
        )
    return pd.DataFrame(rows, columns=["lesson", "title", "minutes", "question"])
