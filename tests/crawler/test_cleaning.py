from __future__ import annotations

from yuqing.crawler.cleaning import clean_text, html_to_text, normalise_text


def test_html_to_text_keeps_line_breaks_drops_scripts_signatures_and_edit_notes():
    html = ('<i class="pstatus">本帖最后由 老王 于 2021-3-23 14:38 编辑</i><p>第一段<br>第二行</p>'
            '<script>alert(1)</script><div class="sign">我的签名</div><p>尾段 [微笑]</p>')
    assert html_to_text(html) == "第一段\n第二行\n\n尾段 [微笑]"


def test_edit_note_in_plain_text_is_dropped():
    assert clean_text("本帖最后由 老王 于 2021-3-23 14:38 编辑\n\n正文") == "正文"


def test_fullwidth_letters_digits_to_halfwidth_punctuation_kept():
    assert normalise_text("电话：１３９ ＡＢ，好的　　！") == "电话：139 AB，好的 ！"


def test_whitespace_normalised():
    assert normalise_text(" a \t b\r\n\r\n\r\n\r\nc\u200b ") == "a b\n\nc"
