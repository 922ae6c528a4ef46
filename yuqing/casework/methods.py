"""九法 — the nine methods of ideological work, in the article's order and words. No IO.

Source: 张玉新（开滦集团工会）「创新机制方法 加强改进新时期产业工人队伍思想政治工作」, 中工网 2021-03-23,
part 二 "用好用活九种方法". ``description`` is the article's own description of each method; ``practice``
lists what a cadre does under it, taken from the same paragraph (the article names the means, e.g. the
家访谈心记录本 with its "九必访、五看清、四了解、十必谈", without spelling them out: neither does yuqing).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Method:
    name: str
    #: The article's description, verbatim.
    description: str
    #: What a cadre does under this method (the article's means, in short).
    practice: tuple[str, ...]

    def to_dict(self) -> dict:
        return {"name": self.name, "description": self.description, "practice": list(self.practice)}


NINE_METHODS: tuple[Method, ...] = (
    Method(
        "合理诉求维护法",
        "依法依规维护职工合法权益和合理诉求，从而化解职工思想问题。对一些缺乏连续性、合理性的政策和执行不一致、"
        "落实不规范的制度规定及时进行纠偏，代表职工积极反映问题，协调职能部门妥善处置。",
        ("依法依规核实职工诉求是否合理", "代表职工向职能部门积极反映问题", "协调职能部门妥善处置、限期办结",
         "对执行不一致、落实不规范的制度规定提出纠偏"),
    ),
    Method(
        "家访谈心知情法",
        "把家访和谈心作为深度把握职工思想动态的有效方法，专门设立工会干部“家访谈心记录本”，并在“访”和“谈”两个环节"
        "进一步细化责任和内容，明确“九必访、五看清、四了解、十必谈”。",
        ("按“九必访、五看清、四了解、十必谈”上门家访、个别谈心", "把访、谈情况记入工会干部“家访谈心记录本”"),
    ),
    Method(
        "民主恳谈沟通法",
        "畅通双向沟通渠道，利用民主恳谈会、职工代表商谈等形式，在职工和管理者之间架起沟通的桥梁。",
        ("组织民主恳谈会", "组织职工代表问询", "组织职工代表商谈", "收集整理职工意见进行专门研究"),
    ),
    Method(
        "释疑解惑聚力法",
        "针对部分职工对形势政策了解不多、理解不深等问题进行释疑解惑、正面引导。在进行全面宣讲，加大超前宣教力度同时，"
        "针对不同群体关注的问题，因人、因时、因事解答疏导、个别解惑。",
        ("全面宣讲形势政策，加大超前宣教力度", "针对不同群体关注的问题因人、因时、因事解答疏导", "个别解惑、正面引导"),
    ),
    Method(
        "工作激情点燃法",
        "大力调动职工学习技术积极性和发明创造积极性，点燃工作激情。工会相继开展了职工发明创意大赛、职工技能运动会、"
        "劳模和技能大师技术推广、主题劳动竞赛等活动，让职工唱主角，增强创先争优意识。",
        ("组织职工发明创意大赛、职工技能运动会", "组织劳模和技能大师技术推广", "开展主题劳动竞赛，让职工唱主角"),
    ),
    Method(
        "文娱活动减压法",
        "广泛开展群众喜闻乐见的文化体育活动，培育健康文明、昂扬向上的职工文化，为职工舒缓压力、消除疲劳，"
        "让职工能够舒心工作、健康生活。",
        ("日常有小型活动、传统节日有特色活动、重要节点有主题活动", "组织诗歌朗诵、歌唱舞蹈、摄影书法和各项体育活动"),
    ),
    Method(
        "精准帮扶暖心法",
        "充分运用帮扶职工“九项机制”，创新精准帮扶路径，做好弱势群体帮扶救助，暖心聚力，共创和谐。",
        ("运用帮扶职工“九项机制”摸清困难情况", "对困难职工精准帮扶救助（记录帮扶人次和救助金额）"),
    ),
    Method(
        "典型培育带动法",
        "大力弘扬劳模精神、劳动精神、工匠精神，选树、弘扬先进典型，用精神的力量鼓舞士气，激发活力。",
        ("选树先进典型", "利用多种媒介宣传先进集体和个人", "弘扬劳模精神、劳动精神、工匠精神"),
    ),
    Method(
        "网络舆情沟通法",
        "运用互联网优势和手段，让现代化通讯工具成为了解职工思想和诉求，联系、引导、发动和服务职工的重要载体。",
        ("在职工说话的微信群、论坛里直接回应：回应口径由系统依据帖子起草，干部修改后发布",
         "通过网络舆情沟通监控平台和微信矩阵了解职工思想和诉求，联系、引导、服务职工"),
    ),
)

BY_NAME: dict[str, Method] = {m.name: m for m in NINE_METHODS}
