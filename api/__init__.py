"""FastAPI application: thin routers over the `assistant` library."""
