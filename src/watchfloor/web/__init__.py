"""The web dashboard face: pages and vendored assets served by ``watchfloor serve``."""
