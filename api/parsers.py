"""The API's JSON parser: DRF's, plus a clear 400 for JSON nested too deep to read."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            # json.loads recurses once per level: a body nested thousands deep exhausts the stack.
            raise ParseError(_("The JSON body is nested too deeply.")) from error
