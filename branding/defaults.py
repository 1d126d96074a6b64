"""The product's own brand: what a workspace shows until (or unless) its plan lets it change it."""

PRODUCT_NAME = "Stockwise"

# The colours of static/css/app.css's :root, repeated here because the layout overrides them
# per workspace (and the emails cannot read a stylesheet).
DEFAULT_PRIMARY = "#0f766e"
DEFAULT_SECONDARY = "#0f766e"
DEFAULT_ACCENT = "#f59e0b"

# The backgrounds that links and secondary buttons are read on (app.css --bg and --surface).
PAGE_BACKGROUNDS = ("#f8fafc", "#ffffff")
