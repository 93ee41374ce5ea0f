"""Self-checks for the exercises: ``vientiane.check("02.1", answer)``.

Answers are stored only as SHA-256 hashes of their normalized form, and the explanation
shown after a right answer is sealed with that answer, so reading this file gives
neither away. Authors add an exercise with::

    python -m vientiane.checks 02.1 "the answer"

which prints the hash to paste into ``EXERCISES``.
"""

from __future__ import annotations

import base64
import hashlib
import math
import sys
from collections.abc import Iterable

import pandas as pd


def normalize(answer) -> str:
    """The canonical text of an answer: case, spacing, order of a list and 12 vs 12.0 do not matter.

    >>> normalize([" b", "A"])
    'a|b'
    >>> normalize(18.0)
    '18'
    """
    if isinstance(answer, bool):
        return str(answer).lower()
    if isinstance(answer, (int, float)) and not isinstance(answer, bool):
        if isinstance(answer, float) and math.isfinite(answer) and answer.is_integer():
            return str(int(answer))
        return f"{answer:g}"
    if isinstance(answer, pd.Timestamp):
        return answer.strftime("%Y-%m-%d")
    if isinstance(answer, str):
        return " ".join(answer.split()).casefold()
    if isinstance(answer, dict):
        return normalize([f"{normalize(k)}={normalize(v)}" for k, v in answer.items()])
    if isinstance(answer, Iterable):
        return "|".join(sorted(normalize(item) for item in answer))
    return normalize(str(answer))


def digest(exercise: str, answer) -> str:
    """The stored hash of ``answer`` to ``exercise``."""
    return hashlib.sha256(f"vientiane:{exercise}:{normalize(answer)}".encode()).hexdigest()


def _xor(exercise: str, answer, data: bytes) -> bytes:
    """``data`` XOR a SHA-256 stream keyed by the exercise and the normalized answer."""
    stream = b""
    while len(stream) < len(data):
        stream += hashlib.sha256(f"seal:{exercise}:{normalize(answer)}:{len(stream)}".encode()).digest()
    return bytes(a ^ b for a, b in zip(data, stream[: len(data)], strict=True))


def seal(exercise: str, answer, text: str) -> str:
    """``text`` readable only with the right ``answer`` (base64 of the XOR).

    >>> unseal("9.9", "x", seal("9.9", "x", "Right!"))
    'Right!'
    """
    return base64.b64encode(_xor(exercise, answer, text.encode("utf-8"))).decode()


def unseal(exercise: str, answer, sealed: str) -> str:
    """The text ``seal`` hid, given the same exercise and answer."""
    return _xor(exercise, answer, base64.b64decode(sealed)).decode("utf-8")


# exercise id -> (hashes of accepted answers, hint when wrong, explanation sealed with the answer)
EXERCISES: dict[str, tuple[tuple[str, ...], str, str]] = {
    "00.1": (
        ("d25679ba004b88a6243f8329069da85e453ab613201032957c67f9742c2cc57c",),
        "Count the rows of facts.paragraphs().",
        "/mSn/2VUrMCF7POuXQTOS18LWYXg2inKYe00ow5W",
    ),
    "00.2": (
        ("0b66323a2966ce38c5fa2e241fb44c77b2c13e49013b2137b016362b8e1ef960",),
        'Use the explorer above, or search facts.paragraphs()["text"] with .str.contains(...). ¶1 uses the words too, but not as Lavrov\'s.',
        "eymGYtojHiuKxW2KicynH71qt+XYqVxVj3+5iKMu2YF8GuDP",
    ),
    "00.3": (
        ("7571c1def5f6234ad678f648e7791f39344ed01013d5816f39c48aee64254fe9",),
        "Each one is a row of facts.quotes.",
        "P9j3hQrC3EFFcfMvuHCGpBI5cSijk7yreV04PbTe/cDM8FllYnnt93geHdtFjVHa",
    ),
    "01.1": (
        ("641a95e7ccc2cc3e8620b8d3f93fa3f448daa490235773705ab8d354363eb187",),
        "Look in facts.events for the Vientiane meetings of July 2016.",
        "kyNt8+5TzF92CYfMPsgi3xmuniA5p59F+rN1uGQ6YuZneSOXeI1BOWDu+GpNHY3sK23SqXdbhztaWw==",
    ),
    "01.2": (
        ("96e615323956e48339b8c1c3c178b8ec1807d143e96a448d9b898ad5314ff86d",),
        "Look at the organizations of the events on 25-26 July 2016.",
        "OCwUdJXjkf5EhcaRTNFbH8GAtzVE/MMYAxNX20+kEbZWILpqzObb/MZqeB6t5OBL4yo=",
    ),
    "01.3": (
        ("cbd54effc14bf9e67ba6cd65c1fc53587ddad7b90b17a2939d76c35c6c4496d4",),
        "Subtract two dates of facts.events; .days gives the number.",
        "6WQ9dKkMhv+WQsraQHDGThgMPPlZLsQ8dFW7752gFurU",
    ),
    "01.4": (
        ("b52a57828f994fc0444ec55305bbc1498368cfc142c24dad87b9e07eb1bb82bb",),
        "Keep the encounters whose source is not the article (rd2016) and that took place in Vientiane.",
        "7quhUwOzkPRpodVuTPZRge6Q3OpnVu281bkT9jLbc+du0S1mx8E69CwkF/FdeBkdXtcRWgNoLSddtV4J/UqWWGQgGUu47EnXfgpe12ES9i3anlSdHrssZV9BAzMkniJch5zwdVrCh0R0XlXbtgeBO7gKXGihQNlVG2QTG1vG3Vf02jBKhV1wSLIZl5iwCu86XqvTtugCjSe4Ey0r4w2EvEbrPdM1PLqR9UcAX4UV1o28FThSRSyi7OtlqfQRZq2eFOXdfBhhHYzVUfA07WxIWvce",
    ),
    "02.1": (
        ("d8be6dde8cc35d22ae16fdc5c3c82683f6959f79700cff85ec6cc7ead455b582",),
        "vientiane.queries.overlap(facts, [...], on=...) gives the intersection.",
        "GWWQ7QBfVRn0rbPRsUyfcSmtRtiqNYUk/CtnMqFrypFPkKCw0mwYdluQTUq0xm98rdlBzbDOLze2cGMJqyCgEjwnJmwIDdIlNlhCIMEdj9iBVmVt",
    ),
    "02.2": (
        ("d6459e38bcec4b0501ab2e102fbf73bbc481e37b03478d2e04ad689f11686c1f",),
        "facts.organizations_of(country, on=date).",
        "unCFQ4bY2PgBC80lC6F1HzWX+NmpTKkhpNQNMG0ugzG34Bz5C1LgsVYOIbF2A9Q5o2lp9zdakiowQS2VfHxBlSiLLP0bpOhB6G0ap7fSmX8SaOx7e1oPGCRT9RkLRqTUMawLodFBedLamCW0doeXCBEmywhd2X6IFdM=",
    ),
    "02.3": (
        ("eb3ab562e341b6834792e8d559156c7085ced17fcb7f7b9447955ebb1346caa3",),
        'facts.members("ASEAN", on=...).',
        "77z1jO0SxJgGtm62fL2GtCBP5+ISB8VhYsoqizkvRXBaOo52QT6sa0mh",
    ),
    "02.4": (
        ("da0647e9b1d916d272968d540bc1f03e9fb81aa2b6843849f6dd24012e34b883",),
        'facts.members("EAS", on="2011-01-01") without alternatives.',
        "UBGXfxq+8SUPRRg1Cwr1T4cjCE/RRWT/Eiyb0KC8LRzPeglmVuoe1gOL2tiQua8vDcZyvwsYQ4I=",
    ),
    "03.1": (
        ("3882c785dca9dd72ea14c1c6587bbf3a31a40cfc2569477f92db96008bfb2747",),
        'Count the rows of facts.quotes whose attribution is "explicit".',
        "suolFsMg/ogHZqf9zx/1Pb9h9hC1ClYDQIFZfawF64Y7RypN/NSe10HtvMU=",
    ),
    "03.2": (
        ("84aa426c08f0419de475fc2cb0a0a287de48500650fe463d771a12363a1feb66",),
        "Is anyone quoted as saying it, or is a term held at a distance?",
        "F8deSFxzxy6QICZ9tFgrZEYccTUCoK1QAmUh40Kod6HGn8chhn7X4FF0zUgFqQrf/x9p",
    ),
    "03.3": (
        ("1ecaa72a9f42124d169c49e2978e9225bc2857861a77a3aac257944d8b36f800",),
        "Read the positions of the conflict sochi_quote_wording.",
        "58H0T8CvXsAo2BAlgjCPyZjE4WlnQCdzB66QulpRjt2bYd0ncV9YShXh169Xy0ViaiM=",
    ),
    "04.1": (
        ("ed3f4f81b27e1b84d01c2b50c38da3ae43b454298e06c79f7331b668f09c933b",),
        "Look at the smallest number in the 2016 column of left_out.",
        "4O1W77ymRa7Jkp9X4SIR6NWrC6f7cjm5IpqO2FG3Ay+3Nez3UsOuOikmOvzCmKPtJeA=",
    ),
    "04.2": (
        ("31232909de3b866a37c4083f56e9f5fab94a07b4b41ea5a9ab0548069df9cdb9",),
        "vientiane.queries.left_out(facts, body, on=date) lists them.",
        "LTagvuDzJiBftvoMYx6TYNpPFkRWpEfCA9pYHs5SkrAFbGKxTPnJN8JVErJ7XFMFPzPQEKTAIwMpgavzDTYHIXa1xtTFEaWAoVNyy9XQss4=",
    ),
    "04.3": (
        ("e15d06f0d9379a3d037114d5d96f003ae54ed0c6966c0e6b02af3cef7a20a8a5",),
        'len(vientiane.queries.left_out(facts, "EAS", on=...)).',
        "5gvCoQNB3Y6IIhLdBdvJTCL69odRodcPKWtSFOmGXUMS",
    ),
    "05.1": (
        ("3933c1a3f6280d96cf7d587981bf6b46682c4f017e46163439577dd2e226ed97",),
        'Take the main-reading row of vientiane.queries.history(facts, "RUS", "EAS").',
        "SPCfhZx3mZy1Infi2kzIlEOCBKWtuwmlgE+5",
    ),
    "05.2": (
        ("2eb9ee6ce60b57782a189a8b82bd4357d2f5647cb432700b0ab74ffc3b647774",),
        'vientiane.queries.resolve(facts, "people", "Mosiaakov") finds the person\'s id.',
        "1bmI+yGyo6Snup0pTNSyLOaBL5P3qmmLDIs=",
    ),
    "05.3": (
        ("8b4d4849ee1d7d8846efef2d93980d2fe0d45f543714db9ddcc5851f7ef5f57d",),
        "Count the verdicts in facts.claims.",
        "H51kOuc7KvVi+wJB/cQog0hgsCV2vs1Hy+OCVxOOIFPtRig+YX//PhKD2nzkdCPYFRYHaBGl0om32Sm5NI6yqd2VSyg+OHBZtNl6KPdST926TAtDOp5rHwxGREhnPJdfGCgXRd+FYR4XRLmpqdhbCx4LxQt9DHwEP6fTIW09/+OH80mPchA1Ig51MC+zFjTwoZqbpmvJcJKi/eC5e0scL6HJykVXlnnXBVrM+vInuJc+GAClLrDq7BwHWY3XlUXg5uglneM318kv3c4X2seIdbDdCnnQGewWp6yM1ysLU3dqmFQ7MGPTewbW4hSAAAZABKk7y50YWLmNDCs1IljsnFqulvI5poCYk1qzM6He6KxYPhhOT1jiMCaLnfMj1Sbclsjeb38MqD9nf8JRpEpHuTGD5wg2PaBB9cfhSKj1VD3MUg==",
    ),
}


# The machine-readable result that ``check`` shows beside its text, for the grader
# (``vientiane_teacher.grade``): {"exercise": "02.1", "attempted": true, "right": false}.
RESULT_MIME = "application/vnd.vientiane.check+json"


def attempted(answer) -> bool:
    """False for the untouched placeholder of an exercise cell (``...`` or ``[...]``).

    >>> attempted(...), attempted([...]), attempted(["RUS"])
    (False, False, True)
    """
    if answer is Ellipsis:
        return False
    return not (isinstance(answer, (list, tuple, set)) and Ellipsis in answer)


def check(exercise: str, answer) -> bool:
    """Say whether ``answer`` is right (or give a hint), and return True when it is.

    >>> check("00.1", 3)
    ✘ Not yet. Hint: Count the rows of facts.paragraphs().
    False
    >>> check("00.1", ...)
    … Replace the ... with your answer, then run the cell again.
    False
    """
    if exercise not in EXERCISES:
        raise KeyError(f"no exercise {exercise!r}; known: {', '.join(sorted(EXERCISES))}")
    accepted, hint, sealed = EXERCISES[exercise]
    tried = attempted(answer)
    right = tried and digest(exercise, answer) in accepted
    if right:
        text = f"✔ Right: {unseal(exercise, answer, sealed)}"
    elif not tried:
        text = "… Replace the ... with your answer, then run the cell again."
    else:
        text = f"✘ Not yet. Hint: {hint}"
    _show(text, {"exercise": exercise, "attempted": tried, "right": right})
    return right


def _show(text: str, result: dict) -> None:
    """In a notebook: the text and, for the grader, the result as JSON; elsewhere: the text."""
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # plain Python without IPython
        get_ipython = None
    shell = get_ipython() if get_ipython else None
    if shell is None or not hasattr(shell, "kernel"):
        print(text)
        return
    display({"text/plain": text, RESULT_MIME: result}, raw=True)


if __name__ == "__main__":  # python -m vientiane.checks 02.1 "answer"
    print(digest(sys.argv[1], sys.argv[2]))
