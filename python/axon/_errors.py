"""Errors raised where the user wrote the call: file:line:col, the line and a caret."""
import linecache
import os
import sys

_PKG_DIR = os.path.dirname(os.path.abspath(__file__))


class ShapeError(ValueError):
    """A shape mismatch, raised at the call that caused it (before anything runs)."""


class AxonError(RuntimeError):
    """A failure of the library itself (synthesis, runtime) that has no user location."""


class Location:
    __slots__ = ("file", "line", "col", "end_col")

    def __init__(self, file, line, col, end_col=None):
        self.file, self.line, self.col, self.end_col = file, line, col, end_col

    def __str__(self):
        return f"{self.file}:{self.line}:{self.col + 1}"

    def source_line(self):
        return linecache.getline(self.file, self.line).rstrip("\n")

    def caret(self):
        text = self.source_line()
        if not text:
            return ""
        width = 1
        if self.end_col is not None and self.end_col > self.col:
            width = self.end_col - self.col
        return f"  {text}\n  {' ' * self.col}{'^' * width}"


_in_pkg_cache = {}


def _in_package(filename):
    r = _in_pkg_cache.get(filename)
    if r is None:
        try:
            r = os.path.abspath(filename).startswith(_PKG_DIR + os.sep)
        except (TypeError, ValueError):
            r = False
        _in_pkg_cache[filename] = r
    return r


def user_location():
    """The innermost frame outside this package: where the user wrote the call."""
    f = sys._getframe(1)
    while f is not None and _in_package(f.f_code.co_filename):
        f = f.f_back
    if f is None:
        return None
    code = f.f_code
    line, col, end_col = f.f_lineno, 0, None
    try:
        positions = list(code.co_positions())
        idx = f.f_lasti // 2
        if 0 <= idx < len(positions):
            pl, pel, pc, pec = positions[idx]
            if pl is not None:
                line = pl
            if pc is not None:
                col = pc
                if pel == pl and pec is not None:
                    end_col = pec
    except (AttributeError, ValueError):
        pass
    return Location(code.co_filename, line, col, end_col)


def shape_error(message, hint=None, loc=None):
    """A ShapeError located at the user's call."""
    loc = loc or user_location()
    text = f"{loc}: error: {message}" if loc else f"error: {message}"
    if loc:
        c = loc.caret()
        if c:
            text += "\n" + c
    if hint:
        text += f"\n  hint: {hint}"
    return ShapeError(text)
