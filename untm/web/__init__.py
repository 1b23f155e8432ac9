"""The local web page: one search box over the termbase and the memory, and a QA pane.

``create_app(tm_path, termbase_path)`` builds the Flask application; ``untm serve`` runs it on
127.0.0.1. Pages are rendered on the server (a shared ``/?q=南朝鲜`` link works without
JavaScript); ``static/untm.js`` only adds search-as-you-type, copy on Enter and an inline QA pane.
"""

from untm.web.app import create_app

__all__ = ["create_app"]
