import json

from yuqing.nlp.card import render_card
from yuqing.nlp.persist import MODELS_DIR


def test_card_shows_the_manifest_figures():
    card = render_card(MODELS_DIR)
    s = json.loads((MODELS_DIR / "sentiment.json").read_text(encoding="utf-8"))
    r = json.loads((MODELS_DIR / "risk.json").read_text(encoding="utf-8"))
    assert f"{100 * s['standard_protocol']['validation']['accuracy']:.1f}%" in card
    assert f"{r['held_out']['combined']['high_recall']:.3f}" in card
    assert "refit on all data" in card


def test_shipped_models_stay_under_50_mb():
    assert sum(p.stat().st_size for p in MODELS_DIR.iterdir() if p.is_file()) < 50 * 2**20
