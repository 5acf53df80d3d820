"""Web dashboard: server-rendered pages (Jinja2 + HTMX) over the same facade as the API."""
