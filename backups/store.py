"""The backup store: a local folder by default, any Django storage (S3-compatible buckets through
django-storages) when settings.BACKUP_STORAGE says so."""

from django.conf import settings
from django.core.files.storage import Storage
from django.utils.module_loading import import_string


def backup_storage() -> Storage:
    config = settings.BACKUP_STORAGE
    return import_string(config["BACKEND"])(**config.get("OPTIONS", {}))
