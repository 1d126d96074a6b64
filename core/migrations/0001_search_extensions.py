"""Accent-insensitive and partial-word search: unaccent and pg_trgm, created once in the public
schema (core is a shared app, so this runs there only). Every workspace's search_path ends with
public (django-tenants), so each schema's indexes and queries reach them.

unaccent() is only STABLE (its dictionary could change), so it cannot appear in an index;
public.immutable_unaccent pins the dictionary and can (the usual PostgreSQL recipe)."""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

IMMUTABLE_UNACCENT = """
CREATE OR REPLACE FUNCTION public.immutable_unaccent(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;
"""


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        UnaccentExtension(),
        TrigramExtension(),
        migrations.RunSQL(IMMUTABLE_UNACCENT, "DROP FUNCTION IF EXISTS public.immutable_unaccent(text);"),
    ]
