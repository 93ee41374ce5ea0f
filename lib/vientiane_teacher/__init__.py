"""vientiane_teacher: the teacher's tools, beside the students' library ``vientiane``.

The README is the manual. One module a job; the commands run with ``python -m`` (the
Makefile's targets call them):

* ``lessons``: the one model of a lesson (``Lesson``), the cell roles (``ROLES``), the lesson
  files and the freshness stamp of what they depend on;
* ``steps``: notebook transformations, one small nbconvert-style preprocessor each;
* ``runner``: the one kernel runner (``execute``) and Ctrl-C handling (``run_interruptibly``);
* ``files``: the one atomic write;
* ``build``: ``make figures``: run the lessons, rebuild figures/ and the editions;
* ``editions``: the student and teacher HTML editions and the student notebooks;
* ``publish``: ``make student``: the student edition as a git branch;
* ``grade``: ``make grade``, over ``submissions`` (collect the handed-in files),
  ``handed_in`` (read, run and mark one) and ``report`` (grades.csv, feedback pages);
* ``present``: ``make present``: a lesson's explorers as a Voilà dashboard;
* ``audit``: the accessibility audit of the HTML editions; ``progress``: progress lines.

``import vientiane`` never imports this package: students get the small library only.
"""
