"""A notebook step (nbconvert preprocessor) that makes printed text independent of timing.

A kernel sends what a cell prints in chunks, as its buffers fill or its flush timer fires, so
how many stream outputs one ``print`` becomes, and whether stdout or stderr comes first,
depends on how busy the machine is. ``CoalesceStreams`` sorts each run of consecutive stream
outputs (stdout first, then stderr) and merges it with nbconvert's
``CoalesceStreamsPreprocessor``, in the cells and in the saved state of Output widgets. The
runner applies it to every executed lesson: the same inputs give the same bytes under any load.

>>> from nbformat.v4 import new_code_cell, new_notebook, new_output
>>> parts = [new_output("stream", name=n, text=t) for n, t in [("stdout", "a"), ("stderr", "!"), ("stdout", "b")]]
>>> nb, _ = CoalesceStreams().preprocess(new_notebook(cells=[new_code_cell(outputs=parts)]), {})
>>> [(o.name, o.text) for o in nb.cells[0].outputs]
[('stdout', 'ab'), ('stderr', '!')]
"""

from __future__ import annotations

import nbformat
from nbconvert.preprocessors import CoalesceStreamsPreprocessor

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


class CoalesceStreams(CoalesceStreamsPreprocessor):
    """One output per stream for each run of printed text (see the module's docstring)."""

    def preprocess(self, nb, resources):
        nb, resources = super().preprocess(nb, resources)
        for model in nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {}).values():
            outputs = model.get("state", {}).get("outputs")
            if model.get("model_name") == "OutputModel" and outputs:
                holder = nbformat.from_dict({"outputs": outputs})
                model["state"]["outputs"] = self.preprocess_cell(holder, resources, -1)[0]["outputs"]
        return nb, resources

    def preprocess_cell(self, cell, resources, cell_index):
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
