"""Signals of the orders app, for apps above it (the WhatsApp assistant tells the buyer).

``order_status_changed(sender=Order, order=..., old=..., new=...)`` is sent once the change is
committed, for every status change (``old`` is None when the order is placed).
"""

from django.dispatch import Signal

order_status_changed = Signal()
