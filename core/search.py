"""Name search that treats ё and е alike, on an index.

`Folded(column)` is TRANSLATE(UPPER(column), 'Ё', 'Е'): a trigram GIN index is declared
on that very expression (`GinIndex(OpClass(Folded("name"), name="gin_trgm_ops"))`), and a
search filters with `filter_folded(queryset, ["name"], text)`, which compares the same expression
with the folded text, so «Семенов» finds «Семёнов» and the other way round, and PostgreSQL
still walks the index (branches/tests/test_yo.py checks it with EXPLAIN).
"""

from django.db.models import CharField, Func, Q, Value
from django.db.models.functions import Upper


class Folded(Func):
    function = "TRANSLATE"
    output_field = CharField()

    def __init__(self, expression, **extra):
        super().__init__(Upper(expression), Value("Ё"), Value("Е"), **extra)


def fold(text: str) -> str:
    """The search text as Folded compares it."""
    return text.upper().replace("Ё", "Е")


def filter_folded(queryset, fields: list[str], text: str):
    """Rows where any of `fields` contains `text`, ё and е alike, case ignored.

    Served by a trigram index on Folded(field) per field (a BitmapOr of them).
    """
    aliases = {f"folded_{field.replace('__', '_')}": Folded(field) for field in fields}
    condition = Q()
    for alias in aliases:
        condition |= Q(**{f"{alias}__contains": fold(text)})
    return queryset.alias(**aliases).filter(condition)
