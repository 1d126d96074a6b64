"""Which media files belong to a workspace, filled by the apps that store them.

Apps above the backups layer (branding, inventory) register a source when Django starts; this
module knows none of them. A source is a storage whose keys are full paths (no per-schema root)
and the folder (key prefix) that holds one workspace's files there.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.storage import Storage


@dataclass(frozen=True)
class MediaSource:
    name: str
    storage: Callable[[], Storage]
    prefix: Callable[[str], str]
    # True when the application finds a file by the schema it runs in (branding: the key is built
    # from the active schema), so a restore into another schema must move the files there; False
    # when the database row holds the whole key (product images), so they go back where they were.
    follows_schema: bool


_sources: dict[str, MediaSource] = {}


def media_source_register(source: MediaSource) -> None:
    _sources[source.name] = source


def media_sources() -> list[MediaSource]:
    return [_sources[name] for name in sorted(_sources)]


def storage_walk(storage: Storage, prefix: str) -> list[str]:
    """Every file key under ``prefix`` (``prefix`` ends with "/"), sorted."""
    try:
        folders, files = storage.listdir(prefix)
    except FileNotFoundError:
        return []
    keys = [f"{prefix}{name}" for name in files]
    for folder in folders:
        keys.extend(storage_walk(storage, f"{prefix}{folder}/"))
    return sorted(keys)
