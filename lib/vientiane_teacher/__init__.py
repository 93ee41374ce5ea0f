"""vientiane_teacher: the teacher's tools, beside the students' library ``vientiane``.

One module a job, each run with ``python -m`` (the Makefile's targets call them):

* ``build``: ``make figures``: run the lessons, rebuild figures/ and the editions;
* ``lessons``: the lessons and the freshness stamp of what they depend on;
* ``runner``: run one lesson in its own kernel, reproducibly;
* ``editions``: the student and teacher HTML editions and the student notebooks;
* ``progress``: progress lines for long runs;
* ``present``: ``make present``: a lesson's explorers as a Voilà dashboard.

``import vientiane`` never imports this package: students get the small library only.
"""
