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
    """A position in the user's source. The column is found from the frame's instruction only
    when asked (an error or inspect_ir), so recording a node stays cheap."""

    __slots__ = ("file", "line", "_col", "_end_col", "_code", "_lasti")

    def __init__(self, file, line, col=None, end_col=None, code=None, lasti=None):
        self.file, self.line, self._col, self._end_col = file, line, col, end_col
        self._code, self._lasti = code, lasti

    def _resolve(self):
        code, self._code = self._code, None
        self._col = self._col or 0
        if code is None:
            return
        try:
            idx = self._lasti // 2
            for k, pos in enumerate(code.co_positions()):
                if k == idx:
                    pl, pel, pc, pec = pos
                    if pl is not None:
                        self.line = pl
                    if pc is not None:
                        self._col = pc
                        if pel == pl and pec is not None:
                            self._end_col = pec
                    break
        except (AttributeError, ValueError):
            pass

    @property
    def col(self):
        if self._code is not None or self._col is None:
            self._resolve()
        return self._col

    @property
    def end_col(self):
        if self._code is not None:
            self._resolve()
        return self._end_col

    def __str__(self):
        return f"{self.file}:{self.line}:{self.col + 1}"

    def source_line(self):
        return linecache.getline(self.file, self.line).rstrip("\n")

    def caret(self):
        text = self.source_line()
        if not text:
            return ""
        col, end = self.col, self.end_col
        width = end - col if end is not None and end > col else 1
        return f"  {text}\n  {' ' * col}{'^' * width}"


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
    """The innermost frame outside this package: where the user wrote the call. (Every
    recorded node asks: the walk looks each file up in a dict, without a call per frame.)"""
    f = sys._getframe(1)
    cache = _in_pkg_cache
    while f is not None:
        name = f.f_code.co_filename
        inside = cache.get(name)
        if inside is None:
            inside = _in_package(name)
        if not inside:
            break
        f = f.f_back
    if f is None:
        return None
    return Location(f.f_code.co_filename, f.f_lineno, code=f.f_code, lasti=f.f_lasti)


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
