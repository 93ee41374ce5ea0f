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

from .lessons import MODEL_ANSWER, WRITTEN, has_role, roles, text

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


class AddModelAnswers(Step):
    """The self-study edition: after the lesson's discussion prompts (the Markdown cell that
    starts "### Discuss") and after its written answer cell, a folded Markdown cell with the
    model answer (``discuss``, ``written``: from ``model_answers``) and the rubric's levels.
    A prompt or task with no model answer raises ``ValueError`` naming the lesson.

    >>> from nbformat.v4 import new_markdown_cell, new_notebook
    >>> nb = new_notebook(cells=[new_markdown_cell("### Discuss\\n\\n1. Why?"), new_markdown_cell("x")])
    >>> nb, _ = AddModelAnswers(lesson="07", discuss="1. Because.")(nb, {})
    >>> print(nb.cells[1].source.splitlines()[1])
    <summary>Model answers: write yours first, then open</summary>
    """

    lesson = Unicode()
    discuss = Unicode()
    written = Unicode()
    rubric = Unicode()

    def preprocess(self, nb, resources):
        cells = []
        for cell in nb.cells:
            cells.append(cell)
            if cell.cell_type == "markdown" and text(cell.source).lstrip().startswith("### Discuss"):
                cells.append(self._folded("discuss", self.discuss, "Model answers"))
            elif has_role(cell, WRITTEN):
                cells.append(self._folded("written", self.written, "A model answer"))
        nb.cells = cells
        return nb, resources

    def _folded(self, kind: str, answer: str, label: str):
        from nbformat.v4 import new_markdown_cell

        if not answer.strip():
            raise ValueError(f"lesson {self.lesson}: no model answer for its {kind} part in teacher_guide.md")
        levels = f"\n\n{self.rubric}" if self.rubric else ""
        body = f"<details>\n<summary>{label}: write yours first, then open</summary>\n\n{answer}{levels}\n\n</details>"
        return new_markdown_cell(body, id=f"{self.lesson}-model-{kind}", metadata={"tags": [MODEL_ANSWER]})


class LinkPages(Step):
    """For an HTML edition: Markdown links between the collection's files point at their pages
    (``glossary.md`` and ``02_membership_structures.ipynb`` become ``.html``), so the folder
    works on its own; other links stay.

    >>> from nbformat.v4 import new_markdown_cell, new_notebook
    >>> nb = new_notebook(cells=[new_markdown_cell("[the glossary](glossary.md), [02](02_x.ipynb#top)")])
    >>> LinkPages()(nb, {})[0].cells[0].source
    '[the glossary](glossary.html), [02](02_x.html#top)'
    """

    def preprocess(self, nb, resources):
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                cell.source = _LOCAL_LINK.sub(lambda m: f"]({m.group(1)}.html{m.group(3) or ''})", text(cell.source))
        return nb, resources


# ](name.md) or ](name.ipynb), with an optional #anchor: a file beside the lessons (no folder, no scheme).
_LOCAL_LINK = re.compile(r"\]\(([\w-]+)\.(md|ipynb)(#[\w-]*)?\)")


class CoalesceStreams(CoalesceStreamsPreprocessor):
    """One output per stream for each run of printed text, in the cells and in the saved state
    of Output widgets: how a ``print`` is cut into messages, and whether stdout or stderr comes
    first, depends on timing (a busy machine flushes more often); the saved notebook must not.

    >>> from nbformat.v4 import new_code_cell, new_notebook, new_output
    >>> parts = [new_output("stream", name=n, text=t) for n, t in [("stdout", "a"), ("stderr", "!"), ("stdout", "b")]]
    >>> nb, _ = CoalesceStreams()(new_notebook(cells=[new_code_cell(outputs=parts)]), {})
    >>> [(o.name, o.text) for o in nb.cells[0].outputs]
    [('stdout', 'ab'), ('stderr', '!')]
    """

    enabled = Bool(True)

    def preprocess(self, nb, resources):
        nb, resources = super().preprocess(nb, resources)
        for model in nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {}).values():
            outputs = model.get("state", {}).get("outputs")
            if model.get("model_name") == "OutputModel" and outputs:
                holder = nbformat.from_dict({"outputs": outputs})
                model["state"]["outputs"] = self.preprocess_cell(holder, resources, -1)[0]["outputs"]
        return nb, resources

    def preprocess_cell(self, cell, resources, cell_index):
        if cell.get("cell_type", "code") != "code":  # an Output widget's holder has no type
            return cell, resources
        cell["outputs"] = streams_in_order(cell.get("outputs", []))
        return super().preprocess_cell(cell, resources, cell_index)


def streams_in_order(outputs: list) -> list:
    """Each run of consecutive stream outputs sorted by stream, stdout first (a stable sort:
    the text of each stream keeps its order); other outputs stay where they are.

    >>> [o["name"] for o in streams_in_order([{"output_type": "stream", "name": "stderr"},
    ...                                       {"output_type": "stream", "name": "stdout"}])]
    ['stdout', 'stderr']
    """
    ordered, run = [], []
    for output in [*outputs, None]:
        if output is not None and output.get("output_type") == "stream":
            run.append(output)
            continue
        ordered += sorted(run, key=lambda o: o.get("name") != "stdout")
        run = []
        if output is not None:
            ordered.append(output)
    return ordered


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
