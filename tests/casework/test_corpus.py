"""The labelled matters the method suggestion is measured on: well-formed, and the measurement runs."""

from __future__ import annotations

import csv
import re
from collections import Counter

import pytest

from yuqing.casework.evaluate import BUNDLED, bundled_corpus, read_matters
from yuqing.casework.methods import NINE_METHODS

NAMES = [m.name for m in NINE_METHODS]


@pytest.mark.parametrize("name,n,prefix", [("development", 144, "m"), ("held_out", 81, "h")])
def test_each_set_is_well_formed_and_balanced(name, n, prefix):
    path = bundled_corpus(name)
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(raw.decode("utf-8").splitlines()))
    assert all(re.fullmatch(prefix + r"\d{3}", r["matter"]) for r in rows)
    assert not re.search(r"\d{7,}", raw.decode("utf-8")), "no phone-like digit runs"
    matters = read_matters(path)
    assert len(matters) == n and len({m.id for m in matters}) == n
    assert Counter(m.method for m in matters) == Counter({name: n // 9 for name in NAMES})
    assert all(2 <= len(m.texts) <= 6 for m in matters)
    texts = [t for m in matters for t in m.texts]
    assert len(set(texts)) == len(texts), "no post written twice"


def test_the_two_sets_share_no_post():
    dev = {t for m in read_matters(bundled_corpus("development")) for t in m.texts}
    held = {t for m in read_matters(bundled_corpus("held_out")) for t in m.texts}
    assert not dev & held and set(BUNDLED) == {"development", "held_out"}


def test_a_file_labelled_with_another_method_name_is_refused(tmp_path):
    from yuqing.errors import YuqingError

    bad = tmp_path / "m.csv"
    bad.write_text("matter,method,source_kind,text\nx1,随便什么法,forum,提个建议\n", encoding="utf-8")
    with pytest.raises(YuqingError, match="不是九法之一"):
        read_matters(bad)


@pytest.mark.slow
def test_the_figures_in_the_readmes_are_what_the_shipped_models_and_rules_measure():
    from pathlib import Path

    from yuqing.casework.evaluate import evaluate
    from yuqing.nlp.analyzer import Analyzer

    analyzer = Analyzer()
    held = evaluate(read_matters(bundled_corpus("held_out")), analyzer)["metrics"]
    dev = evaluate(read_matters(bundled_corpus("development")), analyzer)["metrics"]
    assert held["accuracy"] >= 0.6 and dev["accuracy"] >= held["accuracy"]
    corpus_readme = (bundled_corpus().parent / "README.md").read_text(encoding="utf-8")
    assert f"**{held['accuracy']:.3f}** | {held['macro_f1']:.3f}" in corpus_readme
    assert f"| {dev['accuracy']:.3f} | {dev['macro_f1']:.3f}" in corpus_readme
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    assert f"{100 * held['accuracy']:.1f}%" in readme
