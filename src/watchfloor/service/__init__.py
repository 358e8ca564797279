"""The application layer: one object over a store with the operations every face needs.

The CLI, the REST API, the web dashboard and the watch call this layer and only parse and present;
it wires the store to the analysers (DESIGN.md, "Layers").
"""
