"""The legal documents a new business accepts at signup, and their current versions.

Publishing a new version: add templates/legal/<document>_<version>.html and change the
version here; acceptances keep the version that was accepted.
"""

TERMS_VERSION = "2026-11-01"
PRIVACY_VERSION = "2026-11-01"

CURRENT_VERSIONS = {"terms": TERMS_VERSION, "privacy": PRIVACY_VERSION}
