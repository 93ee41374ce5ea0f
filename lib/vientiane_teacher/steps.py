"""Notebook transformations, one small step each, in the shape of nbconvert's preprocessors
(as nbgrader's are): ``step(nb, resources) -> (nb, resources)``. The build, the editions and
the grader are short lists of them (``apply``). Steps change ``nb`` in place; copy it first
when the original must stay. The README is the manual.

>>> from nbformat.v4 import new_code_cell, new_notebook, new_output
>>> from vientiane_teacher.lessons import TEACHER_ONLY
>>> nb = new_notebook(cells=[new_code_cell("1", outputs=[new_output("stream", text="1")]),
...                          new_code_cell("2", metadata={"tags": ["solution"]})])
>>> nb, _ = apply(nb, DropRoles(roles=list(TEACHER_ONLY)), ClearOutputs())
>>> [(c.source, c.outputs) for c in nb.cells]
[('1', [])]
"""

from __future__ import annotations

import hashlib
import json
import re

import nbformat
from nbconvert.preprocessors import ClearOutputPreprocessor, CoalesceStreamsPreprocessor, Preprocessor
from traitlets import Bool, Dict, List, Unicode

from .lessons import WRITTEN, has_role, roles, text

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
RIGHT, WRONG, NOT_ATTEMPTED = "right", "wrong", "not attempted"
UNANSWERED = {"", "*Your answer:*", "*Your answer:* …", "*Your answer:* ..."}  # the lessons' placeholders


def apply(nb, *steps, resources: dict | None = None):
    """Run ``steps`` on ``nb`` in order; returns ``(nb, resources)``."""
    resources = {} if resources is None else resources
    for step in steps:
        nb, resources = step(nb, resources)
    return nb, resources


class Step(Preprocessor):
    """A preprocessor that is on by default (nbconvert's are off unless configured)."""

    enabled = Bool(True)


class DropRoles(Step):
    """Leave out every cell with one of ``roles`` (the editions: ``TEACHER_ONLY``)."""

    roles = List(Unicode())

    def preprocess(self, nb, resources):
        nb.cells = [cell for cell in nb.cells if not roles(cell) & set(self.roles)]
        return nb, resources


class ClearOutputs(Step):
    """No outputs, no execution counts, and no widget state (whose outputs are gone)."""

    def preprocess(self, nb, resources):
        nb, resources = ClearOutputPreprocessor(enabled=True).preprocess(nb, resources)
        nb.metadata.pop("widgets", None)
        return nb, resources


class DropRunRecords(Step):
    """Before a run: no widget state (a lesson that shows no widget any more keeps none) and
    no execution timestamps of an earlier run."""

    def preprocess(self, nb, resources):
        nb.metadata.pop("widgets", None)
        for cell in nb.cells:
            cell.metadata.pop("execution", None)
        return nb, resources


class StampInputs(Step):
    """Record the lesson's ``inputs`` hash (``lessons.input_hashes``) and its number in
    ``metadata.vientiane``: every copy (editions, submissions) carries the number, the grader
    reads it, and a test can tell a committed notebook that is stale."""

    inputs = Unicode()
    lesson = Unicode()

    def preprocess(self, nb, resources):
        if self.inputs:
            nb.metadata["vientiane"] = {"inputs": self.inputs, "lesson": self.lesson}
        return nb, resources


class CoalesceStreams(CoalesceStreamsPreprocessor):
    """One stream output where the kernel sent several: how a ``print`` is cut into messages
    depends on timing (a busy machine flushes more often), the saved notebook must not.

    >>> from nbformat.v4 import new_code_cell, new_notebook, new_output
    >>> cell = new_code_cell(outputs=[new_output("stream", text="a"), new_output("stream", text="b\\n")])
    >>> [o.text for o in CoalesceStreams()(new_notebook(cells=[cell]), {})[0].cells[0].outputs]
    ['ab\\n']
    """

    enabled = Bool(True)


class StableWidgetIds(Step):
    """Renumber the random widget model ids from ``salt`` (the lesson) and their creation
    order: the same inputs give the same bytes.

    >>> ids = StableWidgetIds(salt="00_x")
    >>> ids.renumber('{"model_id": "%s"}' % ("f" * 32), ["f" * 32])
    '{"model_id": "3285deda258a28f0f509bf06304184d2"}'
    """

    salt = Unicode()

    def renumber(self, notebook_text: str, ids: list[str]) -> str:
        new = {old: hashlib.sha256(f"{self.salt}:{i}".encode()).hexdigest()[:32] for i, old in enumerate(ids)}
        return re.sub(r"[0-9a-f]{32}", lambda m: new.get(m.group(), m.group()), notebook_text) if new else notebook_text

    def preprocess(self, nb, resources):
        # The state's order is the widgets' creation order: the same run after run, unlike the ids.
        ids = list(nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {}))
        if not ids:
            return nb, resources
        return nbformat.reads(self.renumber(nbformat.writes(nb), ids), as_version=4), resources


class PruneWidgetState(Step):
    """Keep only the widget models that the remaining outputs show (and the models they use)."""

    def preprocess(self, nb, resources):
        bundle = nb.metadata.get("widgets", {}).get(WIDGET_STATE)
        if not bundle:
            return nb, resources
        state = bundle["state"]
        wanted = [
            output["data"][WIDGET_VIEW]["model_id"]
            for cell in nb.cells
            for output in cell.get("outputs", [])
            if WIDGET_VIEW in output.get("data", {})
        ]
        keep = set()
        while wanted:
            model = wanted.pop()
            if model in keep or model not in state:
                continue
            keep.add(model)
            wanted += re.findall(r"IPY_MODEL_([0-9a-f]{32})", json.dumps(state[model]))
        bundle["state"] = {k: v for k, v in state.items() if k in keep}
        return nb, resources


class CollectWrittenAnswers(Step):
    """``resources["written"]``: (task, text) of each cell with the ``written`` role that the
    student wrote in; a cell still as the lesson gives it (``placeholders``) is left out. The
    task is the name ``tasks`` gives the cell's id (the lesson's own written cells: "04.W"),
    else the cell's id, else ``cell N`` (N counts every cell from 1).

    >>> from nbformat.v4 import new_markdown_cell, new_notebook
    >>> cell = new_markdown_cell("Because the EAS", metadata={"tags": ["written"]})
    >>> cell.id = "02-why"
    >>> CollectWrittenAnswers()(new_notebook(cells=[new_markdown_cell("# 02"), cell]), {})[1]["written"]
    [('02-why', 'Because the EAS')]
    """

    placeholders = List(Unicode())
    tasks = Dict(value_trait=Unicode(), key_trait=Unicode())

    def preprocess(self, nb, resources):
        blank = UNANSWERED | set(self.placeholders)
        resources["written"] = [
            (self.tasks.get(cell.get("id") or "") or cell.get("id") or f"cell {i}", text(cell.source))
            for i, cell in enumerate(nb.cells, start=1)
            if has_role(cell, WRITTEN) and text(cell.source).strip() not in blank
        ]
        return nb, resources
