"""Fixture drafts for the passage tests (D201, checker.dedup): original sentences in the
shape of real 对照检查材料, each kind of copy made from them by the functions below."""

from __future__ import annotations

# three passages no other fixture holds (60-110 normalised characters each)
STAIRS = ("在推进老旧小区改造中，我牵头协调的加装电梯项目因前期入户调查不细，三个单元的"
          "居民意见没有统一就仓促开工，导致工程停滞两个多月")
LEDGER = ("去年分管的专项资金台账中，有两笔下拨款项的用途说明写得过于笼统，审计指出后才补齐"
          "附件，说明我对经费管理只停留在签字把关，没有深入核对每一笔支出的依据")
VISITS = ("走访困难党员时，我多是节日前集中送去慰问品，平时电话联系少，对他们家中老人就医、"
          "孩子上学的实际困难了解不深，帮扶停留在表面")

# the stock phrases of the genre: every draft may hold them, none makes two drafts copies
STOCK = ("深入学习贯彻习近平新时代中国特色社会主义思想，坚决拥护“两个确立”、坚决做到“两个维护”，"
         "始终在思想上政治上行动上同以习近平同志为核心的党中央保持高度一致。")

OPENING_A = "按照区委关于开好本年度专题民主生活会的通知要求，我围绕会议主题，认真查摆问题，现将有关情况报告如下。"
OPENING_B = "根据局党组统一部署，本人紧扣这次专题组织生活会的主题，对照职责逐项查找差距，现作个人发言。"

FILLER_A = ("政治理论学习上，满足于完成规定篇目，结合分管工作思考不够，学用结合还有差距。"
            "调查研究上，到基层听取意见次数偏少，掌握的情况不够鲜活。")
FILLER_B = ("落实意识形态工作责任制方面，对所在支部的网络阵地管理过问不多，"
            "对年轻干部思想动态掌握不够及时，谈心谈话流于形式。")
FILLER_C = ("担当作为方面，面对征地拆迁中的矛盾纠纷，有时习惯于层层上报，主动靠前协调不够，"
            "怕担责任的思想还没有根除。")


def draft(*paragraphs: str, heading: str = "一、存在的问题", opening: str = OPENING_A) -> str:
    """A draft: an opening, a heading, numbered paragraphs, a closing (one of two, by the
    opening: drafts of one writer end alike)."""
    body = "\n".join(f"（{'一二三四五六'[i]}）{p}" for i, p in enumerate(paragraphs))
    closing = "以上是我的个人剖析，请同志们批评指正。" if opening == OPENING_A else "不妥之处，恳请大家帮助。"
    return f"{opening}\n{heading}\n{body}\n{closing}\n"


def near(passage: str) -> str:
    """``passage`` with two words changed, as a writer who copies and edits would."""
    return passage.replace("仓促", "匆忙").replace("停滞", "停工").replace("笼统", "简单") \
        .replace("签字", "审批").replace("多是", "大多").replace("了解不深", "掌握不细")
