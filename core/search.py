"""Search that forgives accents, case and unfinished words ("cafe" finds "Café molido"), in
PostgreSQL: the expression below matches the trigram indexes the apps' migrations create."""

import unicodedata

from django.db.models import Func
from django.db.models.functions import Lower


class Unaccented(Func):
    """public.immutable_unaccent(lower(expression)) (see core/migrations/0001)."""

    function = "public.immutable_unaccent"

    def __init__(self, expression, **extra):
        super().__init__(Lower(expression), **extra)


def search_normal(text: str) -> str:
    """What a typed search looks like to Unaccented: lower case, accents off ("Café" -> "cafe")."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
