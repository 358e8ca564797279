"""Maritime analysis: gaps, encounters, loitering, port visits and identity changes in AIS tracks."""
