from yuqing.nlp.emerging import emerging_terms
from yuqing.nlp.keywords import build_idf, keywords
from yuqing.nlp.tokenize import tokenize

STOP = frozenset({"的", "了", "我们", "大家"})


def test_keywords_prefer_rare_words_and_skip_stopwords():
    docs = [tokenize(t) for t in ["我们的工资", "我们的食堂", "我们的宿舍", "班中餐太差了"]]
    idf = build_idf(docs, STOP)
    kws = keywords(tokenize("我们的班中餐太差了，班中餐涨价了"), idf, STOP, k=2)
    assert kws[0] == "班中餐"
    assert "我们" not in kws and "的" not in kws


def test_emerging_terms_rank_new_words_first():
    base = [tokenize("食堂的饭菜还行")] * 20 + [tokenize("工资按时发了")] * 20
    cur = [tokenize("听说要分流安置了")] * 5 + [tokenize("食堂的饭菜还行")] * 5
    terms = emerging_terms(cur, base, STOP, min_count=3)
    assert terms[0].term in ("分流安置", "听说")
    assert all(t.term != "食堂" for t in terms)
    assert terms[0].current == 5 and terms[0].baseline == 0
