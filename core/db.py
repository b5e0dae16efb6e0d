"""Turn a violated database constraint into the message its own declaration gives it.

A rule the database holds carries its message where it is declared: a constraint in a
model's Meta as its `violation_error_message`; a constraint that exists only in SQL (a
composite foreign key added by a migration) in the `sql_constraint_messages` mapping of
the model it protects. Services save with `save_or_explain`, or run bulk writes inside
`explain_violations()`: a violated rule becomes `ValidationError(message, code=<name>)`,
and a constraint without a message of its own (an internal target of a composite key,
say) re-raises the IntegrityError, since no user can act on it. A deferred constraint
fires at commit, after the block: there `constraint_message(error)` names it.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from django.apps import apps
from django.core.exceptions import EmptyResultSet, ValidationError
from django.db import IntegrityError, models, transaction

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def constraint_name(error: IntegrityError) -> str | None:
    """The name of the violated constraint (psycopg reports it in the error's diagnostics)."""
    diag = getattr(error.__cause__, "diag", None)
    return getattr(diag, "constraint_name", None)


@functools.cache
def _messages() -> dict[str, StrOrPromise]:
    """Constraint name → message, read once from every installed model: Meta first, then SQL-only rules."""
    messages: dict[str, StrOrPromise] = {}
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            message = constraint.violation_error_message
            if message is not None and message != constraint.default_violation_error_message:
                messages[constraint.name] = message
    for model in apps.get_models():
        for name, message in getattr(model, "sql_constraint_messages", {}).items():
            messages.setdefault(name, message)
    return messages


def message_for(name: str) -> StrOrPromise:
    """The message of the named constraint, for a check made before the database is asked."""
    return _messages()[name]


def constraint_message(error: IntegrityError) -> StrOrPromise | None:
    """The message of the constraint `error` violated; None when it has none."""
    return _messages().get(constraint_name(error) or "")


@contextmanager
def explain_violations() -> Iterator[None]:
    """Run the block in a savepoint; a violated rule becomes a ValidationError with its message."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as error:
        message = constraint_message(error)
        if message is None:
            raise
        raise ValidationError(message, code=constraint_name(error)) from error


def save_or_explain[M: models.Model](instance: M, *, fields: Iterable[str] | None = None) -> M:
    """Save `instance` (only `fields`, when given) in a savepoint, as `explain_violations` does."""
    with explain_violations():
        instance.save(update_fields=fields)
    return instance


def any_of(ids: Iterable[int]):
    """`field__in=any_of(ids)`: one array parameter instead of one per id.

    Django prepares and quotes each element of an `__in` list; for the two thousand people
    of a reserve pool that costs more than the query. This sends them as one int[] that
    PostgreSQL unnests: `field IN (SELECT unnest(%s::int[]))`.
    """
    from django.db.models.expressions import RawSQL

    return RawSQL("SELECT unnest(%s::int[])", (list(ids),))


class DaysBetween(models.Func):
    """`later - earlier` for two dates, in whole days (PostgreSQL's date − date is an integer).

    Django's own subtraction of dates gives an interval; a sum of days is what a figure counts.
    """

    template = "(%(expressions)s)"
    arg_joiner = " - "
    output_field = models.IntegerField()

    def __init__(self, later, earlier, **extra):
        super().__init__(later, earlier, **extra)


# Several querysets in one round trip ------------------------------------------------------
# A page that shows figures from several apps (the region's overview) would pay one round
# trip per query. `fetch_together` sends them as one SELECT whose columns are scalar
# subqueries, each the JSON array of one queryset's rows, and gives each back as dicts
# with Python values (the fields' own `to_python`), as `.values()` would. Values travel as
# JSON: a decimal arrives as a float before `to_python`, so send exact money sums as text.


def one_row(queryset, **aggregates):
    """`queryset.aggregate(**aggregates)` as a queryset of one row, to send with `fetch_together`.

    Grouping by a constant leaves no GROUP BY, so it yields exactly one row even over no rows.
    """
    from django.db.models import Value

    return queryset.order_by().values(_one=Value(1)).annotate(**aggregates).values(*aggregates)


def fetch_together(querysets: dict, *, using: str = "default") -> dict[str, list[dict]]:
    """Run `.values()` querysets as one statement: {name: the rows, as dicts}. Nothing to run: no query."""
    from django.db import connections

    if not querysets:
        return {}
    parts, params, shapes, known = [], [], {}, {}
    for name, queryset in querysets.items():
        query = queryset.query
        names = [*query.extra_select, *query.values_select, *query.annotation_select]
        compiler = query.get_compiler(using=using)
        try:
            sql, query_params = compiler.as_sql()
        except EmptyResultSet:  # a filter that matches nothing (`pk__in=[]`): answered without asking
            known[name] = _empty_result(query)
            continue
        fields = [expression.output_field for expression, _sql, _alias in compiler.select]
        assert len(names) == len(fields), f"{name}: fetch_together takes .values() querysets"
        columns = ", ".join(f"c{index}" for index in range(len(names)))
        parts.append(f"(SELECT coalesce(json_agg(json_build_array({columns})), '[]') FROM ({sql}) AS t({columns}))")
        params.extend(query_params)
        shapes[name] = (names, fields)
    if not parts:
        return known
    with connections[using].cursor() as cursor:
        cursor.execute(composed_sql(parts), params)
        found = cursor.fetchone()
    result = known
    for (name, (names, fields)), rows in zip(shapes.items(), found, strict=True):
        if isinstance(rows, str):
            rows = json.loads(rows)
        result[name] = [
            {
                key: None if value is None else field.to_python(value)
                for key, field, value in zip(names, fields, row, strict=True)
            }
            for row in rows
        ]
    return result


def _empty_result(query) -> list[dict]:
    """The rows of a queryset whose filter matches nothing: one row of empty aggregates (`one_row`), else none."""
    if query.values_select or query.extra_select or not query.annotation_select:
        return []
    if not all(expression.contains_aggregate for expression in query.annotation_select.values()):
        return []
    return [{name: expression.empty_result_set_value for name, expression in query.annotation_select.items()}]


def composed_sql(parts: list[str]) -> str:
    return "SELECT " + ", ".join(parts)
