"""The HTTP API: thin adapters over the domain packages, under ``/api/v1``.

``create_app(database_url)`` builds the FastAPI application; ``reemploi serve`` runs it
with uvicorn. Authentication, the role matrix and error translation each live in one
module here (``auth``, ``authz``, ``errors``).
"""

from reemploi.api.app import create_app

__all__ = ["create_app"]
