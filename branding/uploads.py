"""An upload handler that stops taking a file past the size limit.

Without it Django would receive a 20 MB "logo" in full (to a temporary file) before the form
could refuse it. This one sits first in the chain: past the limit it skips the file (the rest
of the request is read and discarded, nothing is kept) and remembers which field it was.
"""

from django.core.files.uploadhandler import FileUploadHandler, SkipFile


class SizeLimitUploadHandler(FileUploadHandler):
    def __init__(self, request=None, *, limit: int):
        super().__init__(request)
        self.limit = limit
        self.too_large: set[str] = set()

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self.too_large.add(self.field_name)
            raise SkipFile()
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler (memory or temporary file) builds the file


def limit_uploads(request, limit: int) -> SizeLimitUploadHandler | None:
    """Put the limit first in ``request``'s handlers (None when the body was already read)."""
    handler = SizeLimitUploadHandler(request, limit=limit)
    try:
        request.upload_handlers.insert(0, handler)
    except AttributeError:
        return None
    return handler
