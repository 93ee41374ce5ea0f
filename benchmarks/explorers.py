"""How long each explorer takes to update: for every ``*_explorer`` in ``vientiane.widgets``,
its first control is moved over its whole range, one value at a time, and each update is
timed (what ``Explorer.refresh`` does: the view function, then the PNG encoding of a figure).
Prints the median and the worst update per explorer, in milliseconds of wall-clock time, and
the median CPU time of this process (less sensitive to other work on a shared machine).

    .venv/bin/python benchmarks/explorers.py            # the first control of each explorer
    .venv/bin/python benchmarks/explorers.py --all      # every control, one after the other
    .venv/bin/python benchmarks/explorers.py map        # only the explorers whose name has "map"

Target: a median of at most 150 ms for every explorer, on 2 cores. The first update of an
explorer is not counted (it is the one the explorer draws when it is made: with a map, the
one that decodes the geometry).
"""

import argparse
import inspect
import os
import statistics
import time

TARGET_MS = 150


def values(control) -> list:
    """Every value of a control's range, in order (a sample for free text)."""
    if hasattr(control, "options") and isinstance(control.value, tuple):  # SelectMultiple: one at a time
        return [(v[1] if isinstance(v, tuple) else v,) for v in control.options]
    if hasattr(control, "options"):  # Dropdown: options may be (label, value) pairs
        return [v[1] if isinstance(v, tuple) else v for v in control.options]
    if isinstance(control.value, tuple):  # IntRangeSlider: a window of the same width, moved along
        width = control.value[1] - control.value[0]
        return [(low, low + width) for low in range(control.min, control.max - width + 1)]
    if isinstance(control.value, str):  # Text: a few searches
        return ["umbrella", "Lavrov", "security", "ASEAN", "", "no such words"]
    return list(range(control.min, control.max + 1, control.step))  # IntSlider


def time_control(explorer, index: int) -> tuple[list[float], list[float]]:
    """Milliseconds per update (wall clock, CPU) while control ``index`` runs over its range."""
    control = explorer.controls[index]
    start = control.value
    wall, cpu = [], []
    for value in values(control):
        if value == control.value:
            continue  # no change, no update
        began, began_cpu = time.perf_counter(), time.process_time()
        control.value = value  # the explorer observes it: refresh() renders and encodes
        wall.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
    control.value = start
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("only", nargs="?", default="", help="only explorers whose name contains this")
    parser.add_argument("--all", action="store_true", help="time every control, not only the first")
    args = parser.parse_args()

    import vientiane
    from vientiane import widgets

    facts = vientiane.load()
    makers = [
        (name, make)
        for name, make in inspect.getmembers(widgets, inspect.isfunction)
        if name.endswith("_explorer") and args.only in name
    ]
    failed = []
    print(f"{'explorer':22} {'control':10} {'updates':>7} {'median ms':>10} {'worst ms':>9} {'median cpu ms':>14}")
    for name, make in sorted(makers):
        began = time.perf_counter()
        explorer = make(facts)
        first = (time.perf_counter() - began) * 1000
        for index in range(len(explorer.controls) if args.all else 1):
            control = explorer.controls[index]
            wall, cpu = time_control(explorer, index)
            median, worst = statistics.median(wall), max(wall)
            mark = "" if median <= TARGET_MS else "  over target"
            label = control.description or type(control).__name__
            print(
                f"{name:22} {label:10} {len(wall):7d} {median:10.1f} {worst:9.1f} {statistics.median(cpu):14.1f}{mark}"
            )
            if median > TARGET_MS and name not in failed:
                failed.append(name)
        print(f"{'':22} {'(made in)':10} {'':7} {first:10.1f}")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{os.cpu_count()} cores, load average {load:.1f} (1 min) at the end")
    print(f"target: median <= {TARGET_MS} ms: " + ("met by every explorer" if not failed else f"missed by {failed}"))


if __name__ == "__main__":
    main()
