"""The model answers the self-study edition unfolds: read from the teacher guide, never typed twice.

The guide's section "Discussion prompts and written tasks: model answers and rubrics" has, for
each lesson NN, a "### Discuss NN" part (the model answers to the lesson's discussion prompts,
with their rubric) and a "### Written NN" part (the written task's model answer and rubric);
the paragraph above them is the rubric's three levels. Only those parts leave the guide: its
exercise answers, session plans and misconceptions stay in the teacher's edition. The README
is the manual.

>>> from vientiane_teacher.editions import documents
>>> answers = model_answers(documents()["teacher_guide"])
>>> sorted(answers["04"]), answers["04"]["written"].startswith("**Task**")
(['discuss', 'written'], True)
"""

from __future__ import annotations

import re

SECTION = "Discussion prompts and written tasks: model answers and rubrics"
_PART = re.compile(r"(?m)^### (Discuss|Written) (\d\d)\s*$")


def model_answers(guide: str) -> dict[str, dict[str, str]]:
    """``{lesson: {"discuss": markdown, "written": markdown}}`` from the guide's text; a
    lesson the guide has no part for is missing. Raises ``ValueError`` when the guide has no
    model-answer section (the self-study edition would silently lose every answer).

    >>> model_answers("## " + SECTION + "\\n\\nLevels.\\n\\n### Written 07\\n\\nMy answer.\\n\\n## Not covered")
    {'07': {'written': 'My answer.'}}
    """
    section = _section(guide, SECTION)
    parts = _PART.split(section)
    found: dict[str, dict[str, str]] = {}
    for kind, lesson, text in zip(parts[1::3], parts[2::3], parts[3::3], strict=True):
        found.setdefault(lesson, {})[kind.lower()] = text.strip()
    return found


def rubric_levels(guide: str) -> str:
    """The paragraph that says what each rubric level means (the section's text before its
    first part).

    >>> rubric_levels("## " + SECTION + "\\n\\nEach rubric has three levels.\\n\\n### Discuss 00\\n\\n1. …")
    'Each rubric has three levels.'
    """
    return _PART.split(_section(guide, SECTION))[0].strip()


def _section(text: str, heading: str) -> str:
    found = re.search(rf"(?ms)^## {re.escape(heading)}\s*$(.*?)(?=^## |\Z)", text)
    if found is None:
        raise ValueError(f"teacher_guide.md: no section '## {heading}' (the self-study edition's model answers)")
    return found.group(1)
