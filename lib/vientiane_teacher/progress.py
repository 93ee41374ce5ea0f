"""Progress lines for long runs: one line per item, redrawn in place on a terminal (the
build's and the grader's; the README shows them)."""

from __future__ import annotations

import asyncio
import time


class Progress:
    """A line per lesson (name, state, seconds): redrawn in place on a terminal, else logged."""

    def __init__(self, names: list[str], stream):
        self.stream, self.tty = stream, stream.isatty()
        self.lines = {name: ("waiting", None, None) for name in names}  # state, start, seconds
        self.drawn = False

    def set(self, name: str, state: str) -> None:
        now, start = time.perf_counter(), self.lines[name][1]
        self.lines[name] = (state, now, None) if state == "running" else (state, start, now - (start or now))
        if self.tty:
            self.draw()
        elif state != "running":  # a log gets one line per lesson, when it ends
            print(self.line(name), file=self.stream, flush=True)

    def line(self, name: str) -> str:
        state, start, seconds = self.lines[name]
        if seconds is None and start is not None:
            seconds = time.perf_counter() - start
        return f"{name:<36} {state:<8}" + ("" if seconds is None else f" {seconds:5.1f} s")

    def draw(self) -> None:
        if self.drawn:
            self.stream.write(f"\x1b[{len(self.lines)}F")  # back to the first lesson's line
        self.stream.write("".join(f"\x1b[2K{self.line(name)}\n" for name in self.lines))
        self.stream.flush()
        self.drawn = True

    async def tick(self) -> None:
        while self.tty:
            self.draw()
            await asyncio.sleep(0.5)
