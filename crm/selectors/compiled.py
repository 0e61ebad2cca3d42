"""Read queries compiled to SQL once per process and run again with new parameters: on the public
pages' small reads, building and compiling a queryset costs many times what running it does."""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connection, connections
from django.db.models import QuerySet
from django.db.models.sql.compiler import SQLCompiler

# The query is built twice, with two sets of stand-ins for its arguments; a parameter that
# differs between the two builds is an argument, one that stays the same is the query's own
# value, so a fixed value can never be mistaken for an argument. Numbers stay within a small
# integer column's range (Django drops a comparison with a value outside it).
_INT_BASES = (31_000, 32_000)
_TEXTS = ("\x00compiled-argument-{}\x00", "\x00compiled-argument-b{}\x00")
# Shapes include a page's bounds, so the store is emptied when it grows past this.
_MOST = 256

Argument = int | str | Sequence[int]

_compiled: dict[tuple, tuple[SQLCompiler, str, tuple] | None] = {}


def _stand_ins(args: Sequence[Argument], which: int) -> tuple[list, dict]:
    """Build arguments, and each stand-in's place in the flattened argument list."""
    built, places, n = [], {}, 0
    for arg in args:
        items = [arg] if isinstance(arg, str | int) else list(arg)
        stand_ins = []
        for item in items:
            if isinstance(item, str):
                stand_in = _TEXTS[which].format(n)
            else:
                stand_in = _INT_BASES[which] + n
            places[stand_in] = n
            stand_ins.append(stand_in)
            n += 1
        built.append(stand_ins[0] if isinstance(arg, str | int) else stand_ins)
    return built, places


def _built(build: Callable[..., QuerySet], args: Sequence[Argument], which: int):
    built, places = _stand_ins(args, which)
    queryset = build(*built)
    compiler = queryset.query.get_compiler(queryset.db)
    sql, params = compiler.as_sql()
    return compiler, sql, tuple(params), places


def _compile(build: Callable[..., QuerySet], args: Sequence[Argument]):
    try:
        compiler, sql, params, places = _built(build, args, 0)
        _, sql_b, params_b, places_b = _built(build, args, 1)
    except (EmptyResultSet, FullResultSet):
        # Django settled the condition itself (an empty id list): nothing to reuse.
        return None
    if sql != sql_b or len(params) != len(params_b):
        return None
    template = []
    for a, b in zip(params, params_b, strict=True):
        if a == b:
            template.append(("value", a))
        elif a in places and b in places_b and places[a] == places_b[b]:
            template.append(("arg", places[a]))
        else:
            return None
    if {place for kind, place in template if kind == "arg"} != set(places.values()):
        return None
    return compiler, sql, tuple(template)


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
