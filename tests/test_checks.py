"""Self-checks: right answers pass in any reasonable form, wrong ones get a hint, answers stay hidden."""

from pathlib import Path

import pytest

import vientiane
from vientiane import checks


def test_right_answer_in_other_forms(capsys):
    assert vientiane.check("02.1", ["rus", " CHN"])
    assert vientiane.check("00.1", 17.0)
    assert "Right" in capsys.readouterr().out


def test_wrong_answer_gets_the_hint(capsys):
    assert not vientiane.check("02.1", ["RUS"])
    assert "Hint" in capsys.readouterr().out


def test_unknown_exercise_lists_known():
    with pytest.raises(KeyError, match="00.1"):
        vientiane.check("99.9", 1)


def test_every_lesson_has_three_exercises():
    lessons = {key.split(".")[0] for key in checks.EXERCISES}
    assert lessons == {"00", "01", "02", "03", "04", "05"}
    for lesson in lessons:
        assert sum(key.startswith(lesson + ".") for key in checks.EXERCISES) >= 3


@pytest.mark.parametrize("answer", ["ARF", "CHN|RUS", "2016-07-25", "versatile", "Mosyakov"])
def test_answers_are_not_in_the_library_as_plain_text(answer):
    source = Path(checks.__file__).read_text(encoding="utf-8")
    assert answer.casefold() not in source.casefold()
