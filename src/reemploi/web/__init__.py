"""The web UI: server-rendered pages (Jinja2) over the same domain services as the API.

``mount(app)`` adds the pages at ``/`` and the package's own assets at ``/static`` to the
API's application. Pages use the API's session cookie; every form carries the session's
CSRF token, and every permission is checked by the same matrix (``reemploi.api.authz``).
"""

from reemploi.web.routes import mount

__all__ = ["mount"]
