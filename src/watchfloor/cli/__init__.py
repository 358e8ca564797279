"""The command-line face of watchfloor: thin commands over the library."""
