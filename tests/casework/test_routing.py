from yuqing.casework.routing import escalation_target, lowest_common_ancestor, related_units, route
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
    assert route(["M1-ZC"] * 5 + ["M1"] * 3, TREE) == "M1"  # the team and the mine-wide chat: the mine


def test_a_higher_units_channel_does_not_pull_the_matter_up():
    assert route(["M1-ZC"] * 4 + ["M2"] * 4 + ["G"] * 4 + ["S1"] * 3, TREE) == "S1"
    assert route(["M1"] * 6 + ["G"] * 5, TREE) == "M1"
    assert route(["M1"] * 6 + ["S1"] * 7, TREE) == "M1"
    assert route(["G"] * 50 + ["M1"] * 9 + ["M1-ZC"] * 10 + ["M2", "M3"], TREE) == "M1"  # the forum on a mine's canteen
    assert route(["G"] * 50 + ["M1"], TREE) == "G"  # a group-wide matter stays up
    assert route(["S1"] * 6 + ["G"] * 5, TREE) == "S1"


def test_a_matter_from_chats_with_no_unit_goes_to_the_root_unit():
    assert route([], TREE) == "G" and route(["", ""], TREE) == "G"
    assert route([], OrgTree([])) == ""  # no organisation configured: nobody to route to


def test_edges():
    assert route(["", "M2"], TREE) == "M2"
    assert lowest_common_ancestor(TREE, ["M1-ZC"]) == "M1-ZC"
    assert escalation_target("M1", TREE) == "S1" and escalation_target("G", TREE) == "G"


def test_related_units():
    assert related_units("M1-ZC", "S1", TREE) and related_units("G", "M3", TREE) and related_units("", "M3", TREE)
    assert not related_units("M1", "M2", TREE)
