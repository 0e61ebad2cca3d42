"""Read queries compiled to SQL once per process and run again with new parameters: on the public
pages' small reads, building and compiling a queryset costs many times what running it does."""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connection, connections
from django.db.models import QuerySet
from django.db.models.sql.compiler import SQLCompiler

# Stand-ins the query is built with, recognised among the compiled parameters. Numbers stay
# within a small integer column's range (Django drops a comparison with a value outside it); a
# query whose parameters do not show every stand-in is never reused.
_INT_BASE = 31_000
# Shapes include a page's bounds, so the store is emptied when it grows past this.
_MOST = 256
_TEXT = "\x00compiled-argument-{}\x00"

Argument = int | str | Sequence[int]

_compiled: dict[tuple, tuple[SQLCompiler, str, tuple] | None] = {}


def _stand_ins(args: Sequence[Argument]) -> tuple[list, dict]:
    """Build arguments, and each stand-in's place in the flattened argument list."""
    built, places, n = [], {}, 0
    for arg in args:
        if isinstance(arg, str | int):
            items = [arg]
        else:
            items = list(arg)
        stand_ins = []
        for item in items:
            stand_in = _TEXT.format(n) if isinstance(item, str) else _INT_BASE + n
            places[stand_in] = n
            stand_ins.append(stand_in)
            n += 1
        built.append(stand_ins[0] if isinstance(arg, str | int) else stand_ins)
    return built, places


def _compile(build: Callable[..., QuerySet], args: Sequence[Argument]):
    built, places = _stand_ins(args)
    queryset = build(*built)
    compiler = queryset.query.get_compiler(queryset.db)
    try:
        sql, params = compiler.as_sql()
    except (EmptyResultSet, FullResultSet):
        # Django settled the condition itself (an empty id list): nothing to reuse.
        return None
    if {places[p] for p in params if _is_stand_in(p, places)} != set(places.values()):
        return None
    # Each parameter: ("arg", its place in the flattened arguments) or ("value", itself).
    template = tuple(
        ("arg", places[p]) if _is_stand_in(p, places) else ("value", p) for p in params
    )
    return compiler, sql, template


def _is_stand_in(param, places: dict) -> bool:
    return isinstance(param, str | int) and not isinstance(param, bool) and param in places


def compiled_rows(shape: str, build: Callable[..., QuerySet], *args: Argument) -> list[tuple]:
    """build(*args)'s rows as tuples (build returns a values_list queryset), with the SQL compiled
    once per shape, database vendor and length of each id list. `build` must use its arguments
    only as query parameters, and the shape name must be unique to it."""
    lengths = tuple(None if isinstance(a, str | int) else len(a) for a in args)
    key = (shape, connection.vendor, lengths)
    if key not in _compiled:
        if len(_compiled) >= _MOST:
            _compiled.clear()
        _compiled[key] = _compile(build, args)
    entry = _compiled[key]
    if entry is None:
        return list(build(*args))
    compiler, sql, template = entry
    flat: list = []
    for arg in args:
        flat.extend([arg] if isinstance(arg, str | int) else arg)
    params = tuple(flat[value] if kind == "arg" else value for kind, value in template)
    # A copy per call, on this thread's connection: the compiled state is only read.
    runner = copy.copy(compiler)
    runner.connection = connections[compiler.using]
    runner.as_sql = lambda *args, **kwargs: (sql, params)
    return list(runner.results_iter(tuple_expected=True))
