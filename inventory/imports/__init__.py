"""Imports of products, opening stock and sales history from CSV or Excel (.xlsx) files.

``reading`` turns a file into header and rows (encoding and delimiter detected), ``columns`` maps
headers to fields, ``rows`` validates and ``services`` writes, all or nothing. ``tasks`` runs big
files in Celery.
"""
