"""Domain errors of branding. The web form shows them next to their field."""


class BrandingError(Exception):
    """Base of branding's refusals: ``message`` for people, ``code`` for programs."""

    code = "branding_error"

    def __init__(self, message: str, *, code: str | None = None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class ImageRefused(BrandingError):
    """An uploaded file is not an acceptable image (type, weight, pixels, damage)."""

    code = "image_refused"


class BrandingRefused(BrandingError):
    """A branding change refused as a whole; ``errors`` maps each field to its reasons.

    Nothing is changed: the stored branding (and its files) stay as they were.
    """

    code = "branding_refused"

    def __init__(self, errors: dict[str, list[BrandingError]]):
        self.errors = errors
        first = next(iter(errors.values()))[0]
        super().__init__(first.message, code=first.code)
