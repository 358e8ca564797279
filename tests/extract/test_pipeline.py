"""The spaCy pipeline: the small model's known errors fixed by the gazetteer, sentences, names hook."""

from __future__ import annotations

from typing import Any

from watchfloor.extract.pipeline import EXCLUDED, add_names, build_pipeline


def _ents(doc: Any) -> dict[str, tuple[str, str]]:
    return {e.text: (e.label_, e.ent_id_) for e in doc.ents}


def test_known_errors_of_the_small_model_are_fixed(nlp: Any) -> None:
    doc = nlp(
        "European Union Commission President Ursula von der Leyen spoke to Yoon. Troops headed for Kursk, "
        "where Kyiv's forces hold ground. Pyongyang sent KN-23 and Hwasong-11 missiles via Rajin."
    )
    ents = _ents(doc)
    assert ents["Ursula von der Leyen"] == ("PERSON", "ursula-von-der-leyen")
    assert ents["Yoon"] == ("PERSON", "yoon-suk-yeol")
    assert ents["Kursk"] == ("GPE", "kursk")
    assert ents["Kyiv"] == ("GPE", "ua")
    assert ents["Pyongyang"] == ("GPE", "kp")
    assert ents["KN-23"] == ("WEAPON", "kn-23")
    assert ents["Rajin"] == ("FAC", "rajin")
    assert "Leyen" not in ents and "Ursula von" not in ents


def test_pipeline_is_trimmed_and_splits_paragraphs(nlp: Any) -> None:
    assert not set(EXCLUDED) & set(nlp.pipe_names)
    doc = nlp("A headline without a stop\n\nThe first sentence. The second one.")
    sentences = [s.text.strip() for s in doc.sents if s.text.strip()]
    assert sentences == ["A headline without a stop", "The first sentence.", "The second one."]


def test_names_from_sanctions_lists_can_be_added() -> None:
    nlp = build_pipeline()
    before = _ents(nlp("The Lady R docked at Vostochny."))
    assert before.get("Lady R") == ("VESSEL", "lady-r")
    assert add_names(nlp, [("Ocean Pearl Trading", "ORG", "us_ofac_sdn:99"), ("  ", "ORG", "x")]) == 1
    after = _ents(nlp("Ocean Pearl Trading paid for the cargo."))
    assert after["Ocean Pearl Trading"] == ("ORG", "us_ofac_sdn:99")


def test_every_name_of_a_real_sanctions_list_can_feed_the_ruler(shared_data: Any) -> None:
    from watchfloor.extract.pipeline import list_names
    from watchfloor.sources.lists.un import read_un

    [path] = sorted((shared_data / "sanctions" / "un").glob("UN_consolidated_*.xml"))
    entries = [e for e in read_un(path) if "kp" in e.nationalities or "DPRK" in " ".join(e.programmes)]
    assert entries
    names = list(list_names(entries))
    assert all(len(text) >= 4 for text, _label, _key in names)
    nlp = build_pipeline()
    assert add_names(nlp, names) == len(names)
    person = next(e for e in entries if str(e.schema) == "Person" and e.names[0].value.isupper())
    written = person.names[0].value.title()
    doc = nlp(f"Officials said {written} arranged the shipment to Vladivostok.")
    assert _ents(doc)[written] == ("PERSON", person.key)
