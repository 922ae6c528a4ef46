from yuqing.casework.routing import escalation_target, lowest_common_ancestor, route
from yuqing.orgtree import OrgTree

from yuqing.schema import Unit

TREE = OrgTree([Unit("G", "集团"), Unit("S1", "一公司", "G"), Unit("M1", "一矿", "S1"), Unit("M1-ZC", "综采队", "M1"),
                Unit("M2", "二矿", "S1"), Unit("S2", "二公司", "G"), Unit("M3", "三矿", "S2")])


def test_dominant_unit_wins_when_others_are_stray():
    assert route(["M1"] * 9 + ["M2"], TREE) == "M1"


def test_siblings_go_to_their_parent_and_cousins_higher():
    assert route(["M1"] * 5 + ["M2"] * 4, TREE) == "S1"
    assert route(["M1-ZC"] * 5 + ["M2"] * 4, TREE) == "S1"
    assert route(["M1"] * 5 + ["M3"] * 5, TREE) == "G"
    assert route(["M1-ZC"] * 5 + ["M1"] * 3, TREE) == "M1"


def test_edges():
    assert route([], TREE) == ""
    assert route(["", "M2"], TREE) == "M2"
    assert lowest_common_ancestor(TREE, ["M1-ZC"]) == "M1-ZC"
    assert escalation_target("M1", TREE) == "S1" and escalation_target("G", TREE) == "G"
