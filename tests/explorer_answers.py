"""What the explorers answer, without pixels, to compare the live edition with the pinned build.

``explorer_answers`` is self-contained: the live tests send its source into the browser's kernel
and run it there, and run it here too; the two must give the same texts.
"""

from __future__ import annotations


def explorer_answers(calls: list[str]) -> dict[str, str]:
    """For each explorer call (a lesson's cell tagged ``present``): its answer as it opens, then
    after each control is moved in turn (a number box to its lowest, middle and highest value, a
    list to its first and last choice, several lists to their first and to their first and last
    choices, a text box to a word), the others back at their opening values. An answer is the
    explorer's plain result (a table as CSV) and the plain text of what it shows (a figure's alt
    text, a table's caption).

    Example::

        explorer_answers(["vientiane.widgets.membership_explorer(facts)"])
        # {'vientiane.widgets.membership_explorer(facts) as it opens': 'country,ASEAN,...',
        #  'vientiane.widgets.membership_explorer(facts), control 1 = 1967': ..., ...}
    """
    import matplotlib.pyplot as plt

    import vientiane

    facts = vientiane.load()

    def answer(explorer) -> str:
        result = explorer.result
        text = result.to_csv() if hasattr(result, "to_csv") else repr(result)
        shown = [output.get("data", {}).get("text/plain", "") for output in explorer.output.outputs]
        return text + "\n--- shown:\n" + "\n".join(shown)

    def moves(control) -> list:  # (the control's attribute to set, its new value), in turn
        kind = type(control).__name__
        if kind == "BoundedIntText":
            low, high = control.min, control.max
            return [("value", v) for v in dict.fromkeys([low, (low + high) // 2, high])]
        if kind == "SelectMultiple":
            return [("index", (0,)), ("index", (0, len(control.options) - 1))]
        if kind == "Text":
            return [("value", "security")]
        return [("index", 0), ("index", len(control.options) - 1)]

    found = {}
    for call in calls:
        explorer = eval(call, {"vientiane": vientiane, "facts": facts})
        found[f"{call} as it opens"] = answer(explorer)
        for number, control in enumerate(explorer.controls, start=1):
            opening = control.value
            for attribute, setting in moves(control):
                setattr(control, attribute, setting)
                found[f"{call}, control {number} = {control.value!r}"] = answer(explorer)
            control.value = opening
        plt.close("all")
    return found
