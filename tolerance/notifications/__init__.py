"""In-app notifications: one row per recipient and event, written in the transaction that causes it.

Case types and shared steps call `services.notify(...)`; the desk reads `selectors`. Delivery beyond
the site (e-mail) hangs off the rows written here, so a rolled-back transition notifies nobody.
"""
