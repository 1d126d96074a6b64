"""Domain errors of the forecasts app."""


class ForecastError(Exception):
    code = "forecast_error"


class NothingToOrder(ForecastError):
    code = "nothing_to_order"
