"""Audit details read as sentences in the reader's language, never as raw dicts: labels translated,
amounts in the workspace's currency, numbers grouped, lines as "SKU × quantity"."""

from django.utils import translation

from audit.models import AuditEvent
from audit.templatetags.audit import audit_details
from tests.conftest import in_schema


def test_an_import_and_a_return_read_as_sentences_in_spanish(db, workspaces):
    imported = AuditEvent(
        action=AuditEvent.Action.IMPORT_APPLIED,
        data={"kind": "products", "file": "productos.csv", "rows": 3227, "products_created": 3227},
    )
    returned = AuditEvent(
        action=AuditEvent.Action.SALE_RETURNED,
        data={"number": 1042, "refund": "9000.00", "lines": [{"sku": "AZU-1K", "quantity": "2.000"}]},
    )

    with in_schema(workspaces.alpha), translation.override("es"):
        import_text, return_text = audit_details(imported), audit_details(returned)

    assert import_text == "Tipo: Productos · Archivo: productos.csv · Filas: 3.227 · Productos nuevos: 3.227"
    assert "{" not in return_text and "AZU-1K × 2" in return_text and "1042" in return_text
