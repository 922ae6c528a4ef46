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
    text = "产量12345678吨，订单号 123456789012，身份证号写错了11010519491231002Y，电话23912345678"
    assert find_pii(text) == []
    assert mask_pii(text) == text
