"""Self-checks: right answers pass in any natural form, a right idea in the wrong form gets a note,
predictable wrong answers get a hint of their own, the placeholder gets none, answers stay hidden."""

import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import vientiane
from vientiane import answers, checks
from vientiane_teacher import authoring

EXISTING = sorted(checks.EXERCISES)


def test_right_answer_in_other_forms(capsys):
    assert vientiane.check("02.1", ["rus", " CHN"])
    assert vientiane.check("00.1", 17.0) == True  # noqa: E712 (what a student may write)
    assert not vientiane.check("00.1", 16) and vientiane.check("00.1", 16) == False  # noqa: E712
    assert repr(vientiane.check("00.1", 16)) == "False"  # plain Python and the docstrings' examples
    assert "Right" in capsys.readouterr().out


NATURAL = [
    ("00.2", "15"),
    ("00.2", "¶15"),
    ("00.2", "¶ 15"),
    ("00.2", "paragraph 15"),
    ("00.2", 15),
    ("00.2", 15.0),
    ("05.1", "five"),
    ("05.1", "Five."),
    ("05.1", 5),
    ("00.1", "seventeen"),
    ("03.2", "scare quotes"),
    ("03.2", "a scare quote"),
    ("03.2", '"scare"'),
    ("03.2", "SCARE"),
    ("01.2", "ASEAN Regional Forum"),
    ("01.2", "the ASEAN Regional Forum (ARF)"),
    ("01.2", ["arf"]),
    ("02.1", "RUS, CHN"),
    ("02.1", "Russia and China"),
    ("02.1", "China; Russian Federation"),
    ("02.1", "['RUS', 'CHN']"),
    ("02.1", ("China", "Russia")),
    ("02.1", pd.Series(["CHN", "RUS"])),
    ("04.1", "Chile, Mexico and Peru"),
    ("01.4", "Canada, China, United States"),
    ("01.1", "2016-07-25"),
    ("01.1", "25 July 2016"),
    ("01.1", "July 25, 2016"),
    ("01.1", "Monday, 25th July 2016"),
    ("01.1", "25 Jul 2016"),
    ("01.1", "25.07.2016"),
    ("01.1", "07/25/2016"),
    ("01.1", dt.date(2016, 7, 25)),
    ("01.1", dt.datetime(2016, 7, 25)),
    ("01.1", pd.Timestamp("2016-07-25")),
    # the forms a teacher's walk-through found rejected, and their kin
    ("00.1", "17"),
    ("00.1", "Seventeen"),
    ("00.2", "15th"),
    ("00.2", "fifteenth"),
    ("00.2", "¶ fifteen"),
    ("00.3", "eight"),
    ("00.3", 8),
    ("01.1", "25 July"),
    ("01.1", "July 25"),
    ("01.1", "July 25th"),
    ("01.1", "the 25th of July"),
    ("01.1", "25/07/2016"),
    ("01.2", "ARF"),
    ("01.2", "the 'ARF'"),
    ("01.3", "fourteen"),
    ("01.3", 14),
    ("01.4", "CAN, CHN, USA"),
    ("01.4", "Canada, China and the United States"),
    ("01.4", ["usa", "can", "chn"]),
    ("02.2", "ADMM-Plus, APEC, ARF, CICA, EAEU, EAS, SCO"),
    ("02.2", "ADMM Plus, APEC, ARF, CICA, EAEU, EAS, SCO"),
    ("02.3", "eleven"),
    ("02.3", 11),
    ("02.4", "sixteen"),
    ("03.1", "four"),
    ("03.2", "scare-quotes"),
    ("03.2", "Scare quotation marks"),
    ("03.3", '"versatile"'),
    ("03.3", "Versatile."),
    ("04.1", "CHL, MEX, PER"),
    ("04.2", "eight"),
    ("04.3", "ten"),
    ("05.1", "five"),
    ("05.2", "Mosyakov"),
    ("05.2", "Dmitry Mosyakov"),
    ("05.3", "five"),
    (
        "05.4",
        "c01_push_umbrella, c07_sochi_summit, c09_progress, c13b_plans_eaeu, c13c_plans_sco, "
        "c28a_moscow_raised, c29_will_continue",
    ),
    ("06.1", "KHM, LAO, MMR"),
    ("06.1", "Cambodia, Laos and Myanmar"),
    ("06.2", 0),
    ("06.2", "zero"),
    ("06.2", "none"),
    ("06.2", "None"),
    ("06.2", "no"),
    ("06.3", "wang_yi"),
    ("06.3", "Wang"),
    ("06.3", "Wang Yi"),
    ("06.3", "wang yi"),
    ("06.3", "WANG-YI"),
    ("06.3", "Wang Yi (China)"),
    ("06.3", "China's foreign minister Wang Yi"),
]


@pytest.mark.parametrize(("exercise", "answer"), NATURAL, ids=[f"{e}-{a!r}" for e, a in NATURAL])
def test_natural_forms_are_right(exercise, answer):
    text, right = checks.feedback(exercise, answer)
    assert right and text.startswith("✔ Right: "), text


@pytest.fixture
def extra(monkeypatch):
    """Exercises of the test's own (answers the lessons do not use), in the running module only."""

    def add(exercise, answer, explanation="Because."):
        exercises = dict(checks.EXERCISES)
        exercises[exercise] = ((checks.digest(exercise, answer),), "Which?", checks.seal(exercise, answer, explanation))
        monkeypatch.setattr(checks, "EXERCISES", exercises)

    return add


def test_economies_by_name_and_alias(extra):
    extra("99.1", ["HKG", "TWN"], "Two economies.")
    for answer in ["Hong Kong, Chinese Taipei", "Hong Kong, China and Chinese Taipei", ["hong kong", "TWN"]]:
        assert checks.feedback("99.1", answer) == ("✔ Right: Two economies.", True), answer
    text, right = checks.feedback("99.1", "Hong Kong and Taiwan")  # the data's name is Chinese Taipei
    assert not right and text.startswith("✘ Right idea: ") and "Chinese Taipei" in text and "'TWN'" in text


RIGHT_IDEA = [
    ("05.1", "5 years", "give just the number"),
    ("05.3", "five claims", "give just the number"),
    ("02.1", "RUS CHN", "separate the items with commas"),
    ("02.1", "Russia China", "separate the items with commas"),
    ("01.4", "Canada, China, US", "give ids, not names, e.g. 'USA'"),
    ("01.4", ["CAN", "CHN", "U.S."], "give ids, not names"),
    ("00.1", "17 paragraphs", "give just the number"),
    ("00.2", "the fifteenth paragraph", "give just the number"),
    ("01.3", "14 days", "give just the number"),
    ("02.3", "11 members", "give just the number"),
    ("04.1", "CHL MEX PER", "separate the items with commas"),
    ("06.1", "Cambodia, Laos and Burma", "the data calls it Myanmar"),
    ("06.1", "Cambodia, Lao PDR, Myanmar", "give ids, not names"),
    ("06.2", "no states", "give just the number"),
    ("06.2", "nobody", "give just the number"),
    ("06.3", "王毅", "Latin letters"),
    ("01.3", "two weeks", "give the number of days"),
    ("01.3", "2 weeks", "give the number of days"),
    ("01.3", "a fortnight", "give the number of days"),
    ("05.2", "Мосяков", "Latin letters"),
    ("05.2", "Дмитрий Мосяков", "Latin letters"),
]


@pytest.mark.parametrize(("exercise", "answer", "note"), RIGHT_IDEA, ids=[f"{e}-{a!r}" for e, a, _ in RIGHT_IDEA])
def test_right_idea_in_the_wrong_form_gets_a_note_not_a_pass(exercise, answer, note):
    text, right = checks.feedback(exercise, answer)
    assert not right and text.startswith("✘ Right idea: ") and note in text, text
    assert "Hint" not in text and "Right:" not in text  # neither a hint nor the explanation


def test_a_date_that_can_be_read_two_ways_gets_a_note(extra):
    extra("99.2", "2016-05-07")
    assert checks.feedback("99.2", "7 May 2016")[1]
    text, right = checks.feedback("99.2", "05/07/2016")
    assert not right and "cannot be misread" in text


TARGETED = [
    ("05.1", 6, "six years ago"),
    ("05.1", "six years", "six years ago"),
    ("05.1", 2011, "That is a year"),
    ("02.4", 18, "18 counts Russia and the US"),
    ("02.1", ["IND", "RUS", "CHN"], "India became a member of the SCO only in 2017"),
    ("02.1", "India, Russia and China", "India became a member of the SCO only in 2017"),
    ("00.2", "¶1", "in the author's voice"),
    ("01.1", "26 July 2016", "26 July was the day of the EAS"),
    ("02.2", ["ADMMPLUS", "APEC", "ARF", "ASEAN", "CICA", "EAEU", "EAS", "SCO"], "a member of ASEAN, or a partner"),
    ("03.3", "Multilateral", "That is the article's word"),
    ("05.2", "Mosiaakov", "the article's spelling"),
    ("04.1", "Chile, Hong Kong, Mexico, Peru, Chinese Taipei", "economies, not states"),
    ("00.2", 11, "Foreign Ministry's statement"),
    ("00.3", "four", "what sounds like speech"),
    ("01.1", "26 July", "26 July was the day of the EAS"),
    ("01.1", "23 July 2016", "the whole week"),
    ("01.2", "the AMM", "umbrella of the whole week"),
    ("01.2", "ADMM-Plus", "defence ministers"),
    ("02.1", "China, Russia and Kazakhstan", "was it in the EAS too"),
    ("02.3", "twelve", "observers or partners"),
    ("03.3", "multifaceted", "synonym"),
    ("04.2", 7, "Russia and the United States"),
    ("05.3", 10, "loose claims"),
    ("06.1", "Cambodia", "the picture in 2016"),
    ("06.1", "KHM, LAO, MMR, VNM", "friendship with Russia or China"),
    ("06.2", "four", "Are observers members"),
    ("06.2", "Iran", "not accession"),
    ("06.3", "John Kerry", "in 2024 too"),
    ("06.3", "CHN", "asks for a person"),
    ("03.1", "five", "'systemic'"),
    ("03.2", "Fragment.", "A fragment is part"),
    ("04.3", "twenty-six", "26 is every CICA member"),
    (
        "05.4",
        "c01_push_umbrella, c07_sochi_summit, c09_progress, c13b_plans_eaeu, c13c_plans_sco, c28a_moscow_raised",
        "Is TASS a private outlet",
    ),
]

# Never praised: a negation or a comparison is not the number it contains (and saying
# "right idea" to it would give the answer away). Each gets the exercise's own hint.
NEVER = [
    ("00.1", "not 17"),
    ("00.1", "fewer than 17"),
    ("00.1", "more than 16"),
    ("00.1", "17 or more"),
    ("00.1", "at least 17"),
    ("00.1", "less than eighteen"),
    ("00.1", "not seventeen paragraphs"),
    ("00.1", "> 16"),
    ("02.3", "more than 10"),
    ("06.2", "not 4"),
    ("06.2", "fewer than 1"),
    ("06.3", "not Wang Yi"),
    ("06.3", "anyone but Wang Yi"),
    ("06.3", "not Wang"),
    ("01.3", "not two weeks"),
    ("01.1", "not 25 July"),
]


@pytest.mark.parametrize(("exercise", "answer"), NEVER, ids=[f"{e}-{a!r}" for e, a in NEVER])
def test_a_negation_or_a_comparison_gets_the_plain_hint(exercise, answer):
    assert checks.feedback(exercise, answer) == (f"✘ Not yet. Hint: {checks.EXERCISES[exercise][1]}", False)


def test_the_table_holds_right_and_wrong_answers_for_every_exercise():
    """The tables above hold right answers and wrong ones (a targeted hint, a note or the plain
    hint) for every exercise of the lessons."""
    right = {e for e, _ in NATURAL}
    wrong = {e for e, *_ in TARGETED + NEVER + RIGHT_IDEA}
    assert right >= set(checks.EXERCISES) and wrong >= set(checks.EXERCISES), (
        set(checks.EXERCISES) - right,
        set(checks.EXERCISES) - wrong,
    )


@pytest.mark.parametrize(("exercise", "answer", "hint"), TARGETED, ids=[f"{e}-{a!r}" for e, a, _ in TARGETED])
def test_predictable_wrong_answers_get_their_own_hint(exercise, answer, hint):
    text, right = checks.feedback(exercise, answer)
    assert not right and text.startswith("✘ Not yet. Hint: ") and hint in text, text
    assert text != f"✘ Not yet. Hint: {checks.EXERCISES[exercise][1]}"


def test_wrong_answer_gets_the_hint(capsys):
    assert not vientiane.check("02.1", ["RUS", "KAZ"])
    assert f"Hint: {checks.EXERCISES['02.1'][1]}" in capsys.readouterr().out


@pytest.mark.parametrize("exercise", EXISTING)
def test_every_exercise_has_targeted_hints_stored_as_digests(exercise):
    stored = checks._read_json("hints.json")["wrong"][exercise]
    assert 1 <= len({item["hint"] for item in stored}) <= 6  # one per wrong answer the guide lists (test_teacher_guide)
    for item in stored:
        assert item["answers"] and all(re.fullmatch(r"[0-9a-f]{64}", d) for d in item["answers"])
        assert not set(item["answers"]) & set(checks.EXERCISES[exercise][0])  # a wrong answer is never accepted


def test_hints_are_prompts_about_the_content_not_code():
    hints = [hint for _, hint, _ in checks.EXERCISES.values()] + [h for e in checks.WRONG.values() for h in e.values()]
    for hint in hints:
        assert not re.search(r"facts\.|vientiane\.|queries\.|\w\(|\.str|\.days|==|len\(", hint), hint
        assert "?" in hint, hint  # a question to think about


@pytest.mark.parametrize(
    ("exercise", "secret"),
    [("01.2", "Regional Forum"), ("01.2", "ARF"), ("03.3", "versatile"), ("05.2", "Mosyakov"), ("01.1", "25 July")],
)
def test_hints_do_not_give_the_answer_away(exercise, secret):
    for hint in [checks.EXERCISES[exercise][1], *checks.WRONG[exercise].values()]:
        assert secret.casefold() not in hint.casefold(), hint


def test_unknown_exercise_lists_known():
    with pytest.raises(KeyError, match="00.1"):
        vientiane.check("99.9", 1)


def test_every_lesson_has_three_exercises():
    lessons = {key.split(".")[0] for key in checks.EXERCISES}
    assert {"00", "01", "02", "03", "04", "05"} <= lessons
    for lesson in lessons:
        assert sum(key.startswith(lesson + ".") for key in checks.EXERCISES) >= 3


@pytest.mark.parametrize("answer", ["ARF", "CHN|RUS", "2016-07-25", "versatile", "Mosyakov"])
def test_answers_are_not_in_the_library_as_plain_text(answer):
    for module in (checks, answers, authoring):
        source = Path(module.__file__).read_text(encoding="utf-8")
        assert answer.casefold() not in source.casefold(), module.__name__


@pytest.mark.parametrize("placeholder", [..., "...", " ... ", "…", "", [...], ["..."], (...,)])
def test_no_hint_before_the_first_attempt(placeholder, capsys):
    for exercise in ["02.1", "01.1", "05.1"]:
        assert not vientiane.check(exercise, placeholder)
        shown = capsys.readouterr().out
        assert shown.startswith("… Replace the ...") and "Hint" not in shown
        assert not checks.attempted(placeholder)


def test_the_docstring_is_honest_about_what_hashing_protects():
    doc = checks.__doc__
    assert "at a glance" in doc and "determined guesser" in doc and "not an" in doc
    assert "python -m vientiane_teacher.authoring add" in doc
    assert "--wrong" in authoring.__doc__ and "python -m vientiane_teacher.authoring add" in authoring.__doc__


@pytest.fixture
def files(tmp_path, monkeypatch):
    """exercises.json and hints.json copied to a scratch folder, the authoring command pointed at
    them; ``reload()`` points the check at what it wrote."""
    for name in ("EXERCISES_FILE", "HINTS_FILE"):
        copy = tmp_path / getattr(authoring, name).name
        copy.write_text(getattr(authoring, name).read_text(encoding="utf-8"), encoding="utf-8")
        monkeypatch.setattr(authoring, name, copy)

    def reload():
        entries = json.loads(authoring.EXERCISES_FILE.read_text(encoding="utf-8"))
        hints = json.loads(authoring.HINTS_FILE.read_text(encoding="utf-8"))
        monkeypatch.setattr(checks, "EXERCISES", checks._read_exercises(entries))
        monkeypatch.setattr(checks, "WRONG", checks._read_wrong(hints))
        monkeypatch.setattr(checks, "_ALSO", checks._read_also(entries))

    return reload


def test_the_authoring_command_writes_a_complete_entry(files, capsys):
    before = json.loads(authoring.EXERCISES_FILE.read_text(encoding="utf-8"))
    assert (
        authoring.main(
            [
                "add",
                "98.1",
                "--answer",
                '["RUS", "CHN"]',
                "--hint",
                "Which two?",
                "--explanation",
                "Russia and China.",
                "--wrong",
                '["RUS"]=Which other state?',
                "--wrong",
                '"India"=Did India belong then?',
            ]
        )
        == 0
    )
    assert "98.1 written (1 accepted answer(s), 2 targeted hint(s))" in capsys.readouterr().out
    entries = json.loads(authoring.EXERCISES_FILE.read_text(encoding="utf-8"))
    assert set(entries) == set(before) | {"98.1"} and all(entries[k] == before[k] for k in before)
    assert set(entries["98.1"]) == {"accepted", "hint", "explanation"}
    files()
    assert checks.feedback("98.1", "Russia and China") == ("✔ Right: Russia and China.", True)
    assert checks.feedback("98.1", "Russia") == ("✘ Not yet. Hint: Which other state?", False)
    assert checks.feedback("98.1", "IND") == ("✘ Not yet. Hint: Did India belong then?", False)
    assert checks.feedback("98.1", "KAZ") == ("✘ Not yet. Hint: Which two?", False)
    assert "india" not in authoring.HINTS_FILE.read_text(encoding="utf-8").split('"98.1"')[1].split('"hint"')[0]


def test_an_answer_given_by_name_is_stored_by_id_too(files):
    authoring.author("98.2", ["Chinese Taipei"], "Which economy?", "Chinese Taipei, an APEC economy.")
    files()
    for answer in ["Chinese Taipei", "TWN"]:
        assert checks.feedback("98.2", answer) == ("✔ Right: Chinese Taipei, an APEC economy.", True)


def test_a_wrong_answer_that_is_accepted_is_refused(files):
    with pytest.raises(ValueError, match="accepted"):
        authoring.author("98.3", [5], "How many?", "Five.", wrong={"five": "No."})


@pytest.mark.slow  # a kernel
def test_in_a_notebook_the_result_is_machine_readable_too():
    """In a kernel, check shows its text and a JSON result that the grader collects."""
    from nbformat.v4 import new_code_cell, new_notebook

    from vientiane_teacher import runner

    cells = [
        new_code_cell('import vientiane\nvientiane.check("02.1", ["RUS", "CHN"])'),
        new_code_cell('vientiane.check("02.1", ["RUS"])'),
        new_code_cell('vientiane.check("02.1", [...])'),
        new_code_cell('vientiane.check("01.1", "...")'),
        new_code_cell('vientiane.check("02.1", "RUS CHN")'),
    ]
    nb = new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}})
    assert runner.run_interruptibly(runner.execute(nb, ".", cell_timeout=600)).ok  # its own thread and loop
    results = [c.outputs[0]["data"][checks.RESULT_MIME] for c in nb.cells]
    assert results == [
        {"exercise": "02.1", "attempted": True, "right": True, "answer": ["RUS", "CHN"]},
        {"exercise": "02.1", "attempted": True, "right": False, "answer": ["RUS"]},
        {"exercise": "02.1", "attempted": False, "right": False, "answer": [{"$ellipsis": True}]},
        {"exercise": "01.1", "attempted": False, "right": False, "answer": "..."},
        {"exercise": "02.1", "attempted": True, "right": False, "answer": "RUS CHN"},
    ]  # the answer as the grader receives it (answers.encode): it decides right or wrong itself
    # the check's text and nothing else: no bare True or False under it, which beginners read as an error
    assert [len(c.outputs) for c in nb.cells] == [1] * len(cells), [c.outputs for c in nb.cells]
    assert all(o["output_type"] == "display_data" for c in nb.cells for o in c.outputs)
    assert nb.cells[0].outputs[0]["data"]["text/plain"].startswith("✔ Right")
    assert nb.cells[4].outputs[0]["data"]["text/plain"].startswith("✘ Right idea")


ENCODED_ANSWERS = [
    3,
    "3",
    3.0,
    float("nan"),
    True,
    None,
    ...,
    "...",
    [...],
    ["LAO", "VNM"],
    ("LAO", "VNM"),
    {"LAO", "VNM"},
    {"RUS": 1},
    "Laos and Viet Nam",
    dt.date(2016, 7, 26),
    dt.datetime(2016, 7, 26, 9, 30),
    pd.Timestamp("2016-07-26"),
    np.int64(18),
    np.float64(18.0),
    pd.Series(["RUS", "CHN"]),
    np.array([1, 2]),
    pd.DataFrame({"a": [1]}),
    iter(["RUS", "CHN"]),
    object(),
]


@pytest.mark.parametrize("exercise", sorted(checks.EXERCISES))
def test_the_grader_reads_an_encoded_answer_as_the_check_read_it(exercise):
    """A value sent to the grader (encode, JSON, decode) gets the check's own verdict: a right
    answer in a natural form is never called wrong because it was recorded."""
    for answer in ENCODED_ANSWERS:
        if isinstance(answer, Iterator):
            answer = list(answer)  # as check reads it
        received = answers.decode(json.loads(json.dumps(answers.encode(answer))))
        assert checks.feedback(exercise, received) == checks.feedback(exercise, answer), (exercise, answer)


def test_a_flood_is_recorded_as_too_long():
    assert answers.encode("x" * (answers.ANSWER_LIMIT + 1)) == {"$too_long": True}
    assert answers.encode(list(range(10**6))) == {"$too_long": True}
    with pytest.raises(ValueError):
        answers.decode({"$nothing": 1})
