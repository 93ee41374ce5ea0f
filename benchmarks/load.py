"""How long vientiane.load() takes: cold (first call: checks every file, runs the Frictionless
validation unless this exact package passed it before) and warm (later calls in the process).

    .venv/bin/python benchmarks/load.py
"""

import os
import statistics
import tempfile
import time


def main() -> None:
    # A fresh cache folder: the first call below really runs the Frictionless validation.
    os.environ["VIENTIANE_CACHE"] = tempfile.mkdtemp()
    started = time.perf_counter()
    import vientiane

    imported = time.perf_counter() - started
    started = time.perf_counter()
    vientiane.load()
    first = time.perf_counter() - started

    vientiane.facts._MEMO.clear()  # a new process: validation remembered on disk only
    started = time.perf_counter()
    vientiane.load()
    new_process = time.perf_counter() - started

    warm = []
    for _ in range(20):
        started = time.perf_counter()
        vientiane.load()
        warm.append(time.perf_counter() - started)
    print(f"import vientiane                          {imported:7.3f} s")
    print(f"load(), never validated before            {first:7.3f} s")
    print(f"load(), validated before (new process)    {new_process:7.3f} s")
    print(f"load(), warm (median of 20)               {statistics.median(warm):7.3f} s   target < 0.3 s")


if __name__ == "__main__":
    main()
