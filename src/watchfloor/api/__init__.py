"""The REST API face: FastAPI over the application layer, with API keys and roles."""
