"""Coverage-guided fuzzing of the readers with atheris (libFuzzer), driving the same harness.

``make fuzz`` runs it after the Hypothesis run: ``python tests/fuzz_atheris.py -runs=N``. The
first byte of each input picks a reader, the rest is the file; the corpus starts from the same
real seeds as the Hypothesis tests (written to a temporary folder), and the invariant is
``tests.fuzzing.check_reader``'s: typed records or a ``WatchfloorError`` naming the file, within
the time bound. A violation raises, and atheris stops with the input that caused it.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["watchfloor"]):
    from watchfloor.sources.ais.batch import AisBatch
    from watchfloor.sources.ais.reader import read_ais
    from watchfloor.sources.lists.formats import read_list
    from watchfloor.sources.lists.records import ListEntry
    from watchfloor.sources.reports import Report, read_reports

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.fuzzing import check_reader
from watchfloor.errors import WatchfloorError

READERS: list[tuple[str, Callable[[Path], Iterable[object]], type]] = [
    ("feed.nmea", lambda p: read_ais(p), AisBatch),
    ("ais.csv", lambda p: read_ais(p), AisBatch),
    ("ais.geojson", lambda p: read_ais(p), AisBatch),
    ("report.html", lambda p: read_reports(p).reports, Report),
    ("feed.rss", lambda p: read_reports(p).reports, Report),
    ("reports.jsonl", lambda p: read_reports(p).reports, Report),
    ("un.xml", read_list, ListEntry),
]
FOLDER = Path(tempfile.mkdtemp(prefix="watchfloor-atheris-"))


def one_input(data: bytes) -> None:
    if not data:
        return
    name, read, record_type = READERS[data[0] % len(READERS)]
    path = FOLDER / name
    path.write_bytes(data[1:])
    check_reader(path, read, record_type)


def seed_corpus() -> Path:
    """The real seeds (the heads of the files the Hypothesis tests start from), one file each."""
    shared = Path(__file__).resolve().parents[2] / "shared" / "data"
    fixtures = Path(__file__).resolve().parent
    sources = [
        shared / "ais" / "kystverket_ais1000lines_2019-08-07.nm4",
        None,
        shared / "ais" / "dma_close_approach_2017-07-05_utm32n.geojson",
        fixtures / "extract" / "fixtures" / "article_2024-11-04.html",
        fixtures / "extract" / "fixtures" / "feed_2024-11.rss",
        fixtures / "assess" / "fixtures" / "corroborating_reports.jsonl",
        shared / "sanctions" / "un" / "UN_consolidated_2026-02-27.xml",
    ]
    corpus = Path(tempfile.mkdtemp(prefix="watchfloor-atheris-corpus-"))
    for index, source in enumerate(sources):
        if source is not None and source.exists():
            (corpus / f"seed-{index}").write_bytes(bytes([index]) + source.read_bytes()[:20_000])
    return corpus


def warm_up(corpus: Path) -> None:
    """Read each seed once outside the time bound: the first call imports (and instruments) the
    readers' lazily imported libraries, which is not the reader's time."""
    for seed in sorted(corpus.iterdir()):
        data = seed.read_bytes()
        name, read, _ = READERS[data[0] % len(READERS)]
        path = FOLDER / name
        path.write_bytes(data[1:])
        try:
            for _ in read(path):
                pass
        except WatchfloorError:
            pass


if __name__ == "__main__":
    corpus = seed_corpus()
    warm_up(corpus)
    atheris.Setup([*sys.argv, str(corpus)], one_input)
    atheris.Fuzz()
