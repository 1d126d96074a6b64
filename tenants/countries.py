"""What a business's country sets by default at signup: currency, time zone (a short list of the
country's own zones, canonical names only), the name of its tax ID and the usual sales-tax rate.
Each stays editable; these are starting points, not rules."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation.trans_real import parse_accept_lang_header


@dataclass(frozen=True)
class CountryDefaults:
    currency: str
    time_zones: tuple[str, ...]  # the first is the default (the capital's or the most populated)
    tax_id_label: str
    tax_rate: Decimal


def _c(currency, zones, tax_id, rate) -> CountryDefaults:
    return CountryDefaults(currency, tuple(zones), tax_id, Decimal(rate))


def _zones(prefix: str, names: str) -> list[str]:
    return [prefix + name for name in names.split()]


_AR = "America/Argentina/"
COUNTRY_DEFAULTS: dict[str, CountryDefaults] = {
    "AR": _c("ARS", _zones(_AR, "Buenos_Aires Cordoba Mendoza Salta Tucuman Ushuaia"), "CUIT", "21"),
    "BO": _c("BOB", ["America/La_Paz"], "NIT", "13"),
    "BR": _c(
        "BRL",
        _zones("America/", "Sao_Paulo Bahia Fortaleza Recife Belem Manaus Cuiaba Porto_Velho Rio_Branco")
        + ["America/Noronha"],
        "CPF/CNPJ",
        "17",
    ),
    "CL": _c("CLP", ["America/Santiago", "America/Punta_Arenas", "Pacific/Easter"], "RUT", "19"),
    "CO": _c("COP", ["America/Bogota"], "NIT", "19"),
    "CR": _c("CRC", ["America/Costa_Rica"], "Cédula jurídica", "13"),
    "DO": _c("DOP", ["America/Santo_Domingo"], "RNC", "18"),
    "EC": _c("USD", ["America/Guayaquil", "Pacific/Galapagos"], "RUC", "15"),
    "SV": _c("USD", ["America/El_Salvador"], "NIT", "13"),
    "ES": _c("EUR", ["Europe/Madrid", "Atlantic/Canary", "Africa/Ceuta"], "NIF", "21"),
    "GT": _c("GTQ", ["America/Guatemala"], "NIT", "12"),
    "HN": _c("HNL", ["America/Tegucigalpa"], "RTN", "15"),
    "MX": _c(
        "MXN",
        _zones("America/", "Mexico_City Monterrey Merida Cancun Chihuahua Hermosillo Mazatlan Tijuana"),
        "RFC",
        "16",
    ),
    "NI": _c("NIO", ["America/Managua"], "RUC", "15"),
    "PA": _c("USD", ["America/Panama"], "RUC", "7"),
    "PY": _c("PYG", ["America/Asuncion"], "RUC", "10"),
    "PE": _c("PEN", ["America/Lima"], "RUC", "18"),
    "UY": _c("UYU", ["America/Montevideo"], "RUT", "22"),
    "US": _c(
        "USD",
        _zones("America/", "New_York Chicago Denver Phoenix Los_Angeles Anchorage") + ["Pacific/Honolulu"],
        "EIN",
        "0",
    ),
    "VE": _c("USD", ["America/Caracas"], "RIF", "16"),
}  # fmt: skip
DEFAULT_COUNTRY = "AR"


def country_from_accept_language(header: str) -> str | None:
    """The first region of the browser's languages that we serve: "es-CO,es;q=0.9" -> "CO"."""
    for tag, _quality in parse_accept_lang_header(header or ""):
        parts = tag.replace("_", "-").split("-")
        for part in parts[1:]:
            if len(part) == 2 and part.upper() in COUNTRY_DEFAULTS:
                return part.upper()
    return None


def country_defaults(country: str) -> CountryDefaults:
    return COUNTRY_DEFAULTS.get(country) or COUNTRY_DEFAULTS[DEFAULT_COUNTRY]


def all_time_zones() -> list[str]:
    return sorted({zone for defaults in COUNTRY_DEFAULTS.values() for zone in defaults.time_zones} | {"UTC"})
