"""Numbers written into the forecast chart's SVG are never localized: in Spanish the reorder line
was drawn at the top (``y1="133,2"``), which no browser can read."""

import re

from django.conf import settings

from tests.forecasts.test_views import shop, web_client  # noqa: F401  (the shop fixture)

SVG_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def test_the_chart_writes_svg_numbers_with_a_decimal_point_in_spanish(shop, client_for, workspaces):  # noqa: F811
    client = web_client(client_for, workspaces.alpha, shop["owner"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"

    page = client.get(f"/forecasts/products/{shop['product'].pk}/{shop['store'].pk}/").content.decode()

    svg = page[page.index("<svg") : page.index("</svg>")]
    assert 'y1="' in svg, svg[:500]  # the reorder line is drawn
    plain = re.findall(r'\b(?:viewBox|x1|x2|y1|y2)="([^"]*)"', svg)
    pairs = re.findall(r'\bpoints="([^"]*)"', svg)
    numbers = [n for value in plain for n in value.split()]
    numbers += [n for value in pairs for pair in value.split() for n in pair.split(",", 1)]
    assert numbers and all(SVG_NUMBER.match(number) for number in numbers), numbers
