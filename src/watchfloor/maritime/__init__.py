"""Maritime analysis: gaps, encounters, loitering, port visits and identity changes in AIS tracks.

Positions and static data come from the day-partitioned Parquet store
(:mod:`watchfloor.store.ais`: ``ingest_file`` writes it, ``scan_positions`` and
``scan_static`` read it lazily), filled by the readers in :mod:`watchfloor.sources.ais`.
"""
