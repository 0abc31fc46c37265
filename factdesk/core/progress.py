"""A progress bar for the desk's long commands, on the error stream (the output stays the
command's answer): one line per kind of row, redrawn in place on a terminal."""

from __future__ import annotations

from typing import Any

WIDTH = 30


class Bar:
    def __init__(self, stream: Any) -> None:  # a text stream (a command's, unwrapped)
        self.stream = stream
        self.current = ""
        self.live = stream.isatty()

    def __call__(self, what: str, done: int, total: int) -> None:
        if what != self.current and self.current:
            self.stream.write("\n")
        self.current = what
        share = 1.0 if total == 0 else min(1.0, done / total)
        filled = int(WIDTH * share)
        line = f"{what:<28} [{'#' * filled}{'.' * (WIDTH - filled)}] {done:>9,}/{total:,}"
        if self.live:
            self.stream.write("\r" + line)
        elif done == total:  # in a log, each kind once, when done
            self.stream.write(line)
        self.stream.flush()

    def close(self) -> None:
        if self.current:
            self.stream.write("\n")
            self.stream.flush()
