"""The HTTP API and dashboard: ``create_app(settings)`` gives the ASGI app (FastAPI).

``powderkeg serve`` runs it with uvicorn; embed it in your own ASGI server the same way.
"""

from .app import check_bind, create_app

__all__ = ["check_bind", "create_app"]
