"""The brief: a self-contained, footnoted HTML (and PDF) write-up of the assessment."""
