"""Every string a template translates has its Spanish translation in locale/es (and the
catalogue compiles without a fuzzy or empty entry): a screen never shows English to a Spanish
reader. Words that are the same in both languages are listed."""

import re
import subprocess
from pathlib import Path

from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
LITERAL = re.compile(r"""{%\s*(?:translate|trans)\s+(["'])(.+?)\1""")
SAME_IN_SPANISH = {
    "API", "SKU", "CSV", "Excel", "Email", "Stripe", "OK", "PDF", "Total", "Local", "IVA",
    "Logo", "Favicon", "Token", "Tokens", "Error", "Plan", "ID", "Stock", "General", "No",
    "MRR", "WAPE", "Series", "Ticket", "WhatsApp",
}  # fmt: skip


def template_strings() -> dict[str, str]:
    found = {}
    for path in sorted((ROOT / "templates").rglob("*.html")) + sorted((ROOT / "templates").rglob("*.txt")):
        for _quote, text in LITERAL.findall(path.read_text(encoding="utf-8")):
            found.setdefault(text, str(path.relative_to(ROOT)))
    return found


def test_every_template_string_has_its_spanish_translation():
    untranslated = []
    with translation.override("es"):
        for text, where in template_strings().items():
            # The translate tag looks a literal up with its % doubled, as makemessages wrote it.
            msgid = text.replace("%", "%%")
            if text not in SAME_IN_SPANISH and translation.gettext(msgid) == msgid:
                untranslated.append(f"{where}: {text}")
    assert untranslated == []


def test_the_spanish_catalogue_has_no_empty_or_fuzzy_entry():
    result = subprocess.run(
        [
            "msgfmt",
            "--check",
            "--statistics",
            "-o",
            "/dev/null",
            str(ROOT / "locale/es/LC_MESSAGES/django.po"),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr
