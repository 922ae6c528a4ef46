import json

from yuqing.nlp.card import render_card
from yuqing.nlp.persist import packaged_models_dir


def test_card_shows_the_manifest_figures():
    card = render_card(packaged_models_dir())
    s = json.loads((packaged_models_dir() / "sentiment.json").read_text(encoding="utf-8"))
    r = json.loads((packaged_models_dir() / "risk.json").read_text(encoding="utf-8"))
    assert f"{100 * s['standard_protocol']['validation']['accuracy']:.1f}%" in card
    assert f"{r['held_out']['combined']['high_recall']:.3f}" in card
    assert "refit on all data" in card


def test_shipped_models_stay_under_50_mb():
    assert sum(p.stat().st_size for p in packaged_models_dir().iterdir() if p.is_file()) < 50 * 2**20


def test_the_shipped_models_and_their_card_are_in_the_package():
    folder = packaged_models_dir()
    assert folder.parent.name == "nlp" and folder.parent.parent.name == "yuqing"
    for name in ("sentiment", "topic", "risk"):
        assert {f"{name}{s}" for s in (".skops", ".npz", ".json")} <= {p.name for p in folder.iterdir()}
    assert (folder / "keywords.json").is_file()
    assert "model card" in (folder / "README.md").read_text(encoding="utf-8")
