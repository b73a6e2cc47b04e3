"""The DEFA gateway: an HTTP service over the library (FastAPI)."""
