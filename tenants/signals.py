"""What apps above ``tenants`` may want to hear about a workspace's life.

``tenants`` sits below ``billing`` and may not call it; billing connects its receivers here (in
``BillingConfig.ready``) instead.
"""

from django.dispatch import Signal

# Sent once the closing of a workspace has committed; kwargs: tenant.
workspace_closed = Signal()
