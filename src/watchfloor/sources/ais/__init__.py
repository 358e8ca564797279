"""AIS readers: NMEA 0183 sentences and CSV exports to columnar position and static records."""
