from yuqing.pii import find_pii, mask_pii


def test_phone_id_and_bank_card_are_found_and_masked():
    text = "有事打我电话13912345678，或者139-1234-5679。身份证11010519491231002X，工资卡6222020200112233446。"
    kinds = [s["kind"] for s in find_pii(text)]
    assert kinds == ["phone", "phone", "id_card", "bank_card"]
    masked = mask_pii(text)
    assert "13912345678" not in masked and "139****5678" in masked
    assert "139-****-5679" in masked
    assert "110105********002X" in masked
    assert "6222***********3446" in masked


def test_numbers_that_are_not_pii_are_left_alone():
    text = ("产量12345678吨，订单号 123456789012，电话23912345678，2026-11-02 09:30 开会，"
            "工资 8,500.00 元，第 3 4 5 班组，编号 410105-4912")
    assert find_pii(text) == []
    assert mask_pii(text) == text


def test_a_mistyped_id_is_still_masked():
    """17 digits and a wrong check character are still somebody's ID number (masked as a long number)."""
    masked = mask_pii("身份证号写错了11010519491231002Y")
    assert "11010519491231002" not in masked and "*" in masked
