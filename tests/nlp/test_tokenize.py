from yuqing.nlp.tokenize import domain_words, is_word, tokenize, tokenize_query


def test_emoji_codes_are_single_tokens():
    toks = tokenize("今天又加班[流泪][流泪]，领导说辛苦了[微笑]")
    assert toks.count("[流泪]") == 2
    assert "[微笑]" in toks
    assert "流泪" not in toks


def test_domain_words_stay_whole():
    text = "综采一队的班中餐太差，困难职工的金秋助学款和五险一金都没着落，有人说要堵门"
    toks = tokenize(text)
    for word in ("综采一队", "班中餐", "困难职工", "金秋助学", "五险一金", "堵门"):
        assert word in toks, word


def test_domain_dictionary_has_a_few_hundred_terms():
    words = domain_words()
    assert len(words) >= 300
    assert len(set(words)) == len(words)


def test_full_width_and_case_are_folded():
    assert tokenize("ＡＢＣ工资") == tokenize("abc工资")


def test_query_tokens_match_index_tokens_and_drop_punctuation():
    q = tokenize_query("班中餐！！")
    assert q == ["班中餐"]
    assert set(q) <= set(tokenize("综采队的班中餐，太差了"))


def test_is_word():
    assert is_word("[微笑]") and is_word("工资") and not is_word("，") and not is_word("!!")


def test_engine_cuts_like_jieba_on_nearly_all_text(small_corpus, chnsenti_slice):
    """jieba-rs with jieba's dictionary: the same cut as jieba itself on >= 98% of texts."""
    from yuqing.nlp import tokenize as tok

    jieba_tok = tok._jieba()
    texts = list(map(tok.normalise, small_corpus.texts + chnsenti_slice.texts))
    same = sum(tok._cut(t) == [w for w in jieba_tok.cut(t, HMM=False) if not w.isspace()] for t in texts)
    assert len(texts) >= 200
    assert same / len(texts) >= 0.98


def test_engine_handles_mixed_scripts_like_jieba():
    from yuqing.nlp import tokenize as tok

    text = tok.normalise("abc 123 a1b2 ＃话题＃ 50%的人 e-mail\r\n第二行 综采一队")
    assert tok._cut(text) == [w for w in tok._jieba().cut(text, HMM=False) if not w.isspace()]


def test_lone_surrogates_are_replaced_not_fatal():
    from yuqing.nlp import ngrams
    from yuqing.nlp.simhash import simhash

    text = "\ud83d工资拖欠"
    assert "工资拖欠" in tokenize(text)
    assert simhash(text) != 0
    docs, hashes = ngrams.char_ngrams([text], (1, 2))
    assert len(hashes) == 5 + 4  # the surrogate counts as one U+FFFD character
