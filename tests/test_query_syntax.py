"""The search syntax and the character grams (pure): what both backends' search is built from."""

from __future__ import annotations

from yuqing.query_syntax import fts_match, highlight_spans, index_grams, needle, parse_query


def cut(term: str) -> list[str]:
    """A stand-in for the search-mode cut: a tiny dictionary, longest words first, then sub-words."""
    words = ["工资拖欠", "拖欠工资", "选煤厂", "工资", "拖欠", "选煤", "煤厂", "欠薪", "食堂", "表扬", "夜班", "饭菜"]
    out, i = [], 0
    while i < len(term):
        for w in words:
            if term.startswith(w, i):
                out.append(w)
                out.extend(v for v in words if v != w and v in w)
                i += len(w)
                break
        else:
            out.append(term[i])
            i += 1
    return out


def texts(alt) -> list[str]:
    return [n.text for n in alt]


def test_grams_of_a_post_are_bigrams_of_each_run_and_its_last_character():
    assert index_grams("", "工资拖欠") == "工资 资拖 拖欠 欠"
    assert index_grams("后勤", "饭，菜!") == "后勤 勤 饭 菜"  # the title too; punctuation separates
    assert index_grams("", "ＷｉＦｉ坏了") == "wi if fi i坏 坏了 了"  # width and case folded
    assert index_grams("", "…！") == ""


def test_a_needle_is_its_grams_in_order_and_a_single_character_is_a_prefix():
    assert needle("拖欠工资").grams == ("拖欠", "欠工", "工资") and not needle("拖欠工资").prefix
    assert needle("薪") == needle("薪") and needle("薪").grams == ("薪",) and needle("薪").prefix
    # a separator in the query: the run before it ends where the post's run ends
    assert needle("夜班 饭菜").grams == ("夜班", "班", "饭菜")
    assert needle("，。") is None


def test_a_term_is_cut_into_its_smallest_words_in_any_order():
    a = parse_query("工资拖欠", cut)
    b = parse_query("拖欠工资", cut)
    c = parse_query("工资 拖欠", cut)
    assert sorted(texts(a.all_of[0][0])) == sorted(texts(b.all_of[0][0])) == ["工资", "拖欠"]
    assert sorted(t for clause in c.all_of for alt in clause for t in texts(alt)) == ["工资", "拖欠"]
    assert fts_match(a)[0] == fts_match(b)[0] == '(("工资" AND "拖欠"))'
    # a word the cut cannot split stays whole; single characters give way to longer words
    assert texts(parse_query("选煤厂", cut).all_of[0][0]) == ["选煤", "煤厂"]
    assert texts(parse_query("的工资", cut).all_of[0][0]) == ["工资"]
    assert texts(parse_query("欠", cut).all_of[0][0]) == ["欠"]


def test_or_not_and_quoted_phrases():
    q = parse_query('欠薪 | 拖欠工资 食堂 -表扬 NOT "夜班 饭菜"', cut)
    assert [[texts(alt) for alt in clause] for clause in q.all_of] == [[["欠薪"], ["工资", "拖欠"]], [["食堂"]]]
    assert [texts(alt) for alt in q.none_of] == [["表扬"], ["夜班 饭菜"]]
    positive, negative = fts_match(q)
    assert positive == '(("欠薪") OR ("工资" AND "拖欠")) AND (("食堂"))'
    assert negative == '("表扬") OR ("夜班 班 饭菜")'
    assert [[texts(a) for a in c] for c in parse_query("欠薪 OR 食堂", cut).all_of] == [[["欠薪"], ["食堂"]]]
    assert parse_query('"工资拖欠"', cut).all_of[0][0][0].grams == ("工资", "资拖", "拖欠")
    assert parse_query("AND OR |", cut).empty and parse_query("，。", cut).empty
    assert parse_query("-食堂", cut).all_of == () and not parse_query("-食堂", cut).empty
    assert parse_query("欠", cut).terms == ("欠",) and parse_query("食堂 -表扬", cut).terms == ("食堂",)


def test_query_text_cannot_inject_fts_syntax():
    import sqlite3

    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE g USING fts5(grams, content='', tokenize='unicode61 remove_diacritics 0')")
    db.execute("INSERT INTO g(rowid, grams) VALUES (1, ?)", (index_grams("", "工资 near x col 1 top"),))
    for text in ('工资" OR "x* NEAR(a b) col:1 ^top', '" * ) ( - NOT', "a:b", "{grams}: x", "工资 AND OR NOT"):
        positive, negative = fts_match(parse_query(text, cut))
        for expr in (positive, negative):
            if expr:
                db.execute("SELECT rowid FROM g WHERE g MATCH ?", (expr,)).fetchall()  # a valid expression


def test_highlight_spans_keep_the_text_and_mark_every_hit():
    spans = highlight_spans("WiFi坏了，工资又拖欠，工资！", ["工资", "wifi"])
    assert "".join(p for p, _ in spans) == "WiFi坏了，工资又拖欠，工资！"
    assert [p for p, hit in spans if hit] == ["WiFi", "工资", "工资"]
    assert highlight_spans("没有", ["工资"]) == [("没有", False)] and highlight_spans("", ["x"]) == []
