"""The dashboard: static files served by the API at ``/`` (``static/``; third-party files in
``static/vendor/`` with their licences, listed with versions and hashes in ``vendor.toml``)."""
