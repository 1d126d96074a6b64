"""The ledger's database guarantees, and the workspace's inventory settings row.

Stock movements are immutable: a trigger refuses UPDATE and DELETE on them. Two exceptions:
- forgetting who made a movement when that user is deleted (ON DELETE SET NULL), and
- deleting rows in a transaction that first runs ``SET LOCAL inventory.allow_ledger_delete = 'on'``
  (erasing a workspace's data on purpose, or cleaning up data a test committed).

The trigger function lives in the public schema so that every workspace schema (including ones
cloned from a template schema) calls the same function.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION public.inventory_stockmovement_immutable() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF NEW.user_id IS NULL AND (to_jsonb(NEW) - 'user_id') = (to_jsonb(OLD) - 'user_id') THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'stock movements are immutable (movement %)', OLD.id
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF current_setting('inventory.allow_ledger_delete', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'stock movements are immutable (movement %)', OLD.id
        USING ERRCODE = 'restrict_violation';
END
$$;
"""

TRIGGER = """
DROP TRIGGER IF EXISTS inventory_stockmovement_immutable ON inventory_stockmovement;
CREATE TRIGGER inventory_stockmovement_immutable
    BEFORE UPDATE OR DELETE ON inventory_stockmovement
    FOR EACH ROW EXECUTE FUNCTION public.inventory_stockmovement_immutable();
"""

DROP_TRIGGER = "DROP TRIGGER IF EXISTS inventory_stockmovement_immutable ON inventory_stockmovement;"


def settings_row_create(apps, schema_editor):
    InventorySettings = apps.get_model("inventory", "InventorySettings")
    InventorySettings.objects.get_or_create(id=1)


class Migration(migrations.Migration):
    dependencies = [("inventory", "0002_ledger_sales_purchasing")]

    operations = [
        migrations.RunSQL(FUNCTION + TRIGGER, DROP_TRIGGER),
        migrations.RunPython(settings_row_create, migrations.RunPython.noop),
    ]
