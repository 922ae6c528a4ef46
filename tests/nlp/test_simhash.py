import csv
from pathlib import Path

from yuqing.nlp.simhash import REPOST_DISTANCE, hamming, is_repost, simhash

PAIRS = Path(__file__).resolve().parents[1] / "data" / "nlp" / "repost_pairs_small.csv"


def _pairs():
    with PAIRS.open(encoding="utf-8") as fh:
        return [(r["a"], r["b"], r["is_repost"] == "1") for r in csv.DictReader(fh)]


def test_simhash_is_64_bit_and_stable():
    h = simhash("综采一队三个月没发工资了")
    assert 0 < h < 2**64
    assert h == simhash("综采一队三个月没发工资了")


def test_whitespace_and_punctuation_do_not_change_the_hash():
    assert simhash("工资 拖欠了！") == simhash("工资拖欠了")


def test_edited_reposts_merge_and_different_matters_separate():
    pairs = _pairs()
    assert any(same for *_, same in pairs) and any(not same for *_, same in pairs)
    for a, b, same in pairs:
        assert is_repost(a, b) == same, (a, b, hamming(simhash(a), simhash(b)))


def test_empty_text_is_never_a_repost():
    assert simhash("，。！") == 0
    assert not is_repost("", "")


def test_threshold_is_a_small_distance():
    assert 0 < REPOST_DISTANCE < 32
