"""Realistic decision content for each kind, as a committee would write it."""

from tolerance.decisions.content import DecisionContent, Ground

EXEMPTION_GROUNDS = [
    Ground(
        "未违反法律法规和政策制度",
        "经核查，许可合同的签订、备案符合《促进科技成果转化法》及学校成果转化管理办法。",
        ["合同：技术许可合同（编号 GUET-XK-2024-031）", "学校法律事务室审核意见"],
        verdict="met",
    ),
    Ground(
        "已履行民主决策程序",
        "许可方案经学院党政联席会议集体研究通过，会议纪要完整。",
        ["集体决策会议纪要：信息与通信学院党政联席会议纪要（2024年3月12日）"],
        verdict="met",
    ),
    Ground("已履行公示监督程序", "协议价格在校内公示 15 日，无异议。", ["公示截图及公示情况说明"]),
    Ground(
        "无非法牟利",
        "当事人未在被许可企业持股或兼职，未获取合同约定以外的收益。",
        ["个人有关事项报告", "被许可企业股东名册"],
    ),
    Ground(
        "因不可预见因素导致转化失败",
        "2025 年上游芯片停产导致产品无法量产，属市场和技术变化。",
        ["芯片厂商停产通知（2025年4月）", "第三方行业分析报告"],
    ),
    Ground(
        "勤勉尽职", "当事人多次协调替代方案，并及时向学校报告风险。", ["项目周报 18 份", "风险报告（2025年5月9日）"]
    ),
    Ground("负面清单情形（明知故犯、谋取私利、弄虚作假等）", "经调查未发现任何负面清单情形。", [], "does_not_apply"),
]

FACTS = (
    "2024年3月，当事人张三作为项目负责人，将学校所有的发明专利“一种低功耗无线传感节点及其组网方法”"
    "（ZL202110123456.7）以普通许可方式许可桂林漓江智能装备有限公司实施，许可费 80 万元。\n\n"
    "2025年4月，因上游关键芯片停产，被许可企业无法量产相关产品，双方协商终止许可，学校实际收取许可费 20 万元，"
    "较预期减少 60 万元。\n\n"
    "2025年9月，当事人提出容错免责认定申请，并提交了决策、公示及履职的相关证明材料。"
)

REASONING = (
    "经逐项核查，本案转化行为符合容错免责的全部六项条件，且不存在负面清单所列情形。转化失败系上游芯片停产这一"
    "当事人无法预见、无法控制的市场和技术变化所致，当事人已尽到勤勉尽职义务。\n\n"
    "认定委员会经审议，认为应当依规予以容错免责。"
)


def exemption_content(**overrides) -> DecisionContent:
    values = dict(
        facts=FACTS,
        grounds=EXEMPTION_GROUNDS,
        reasoning=REASONING,
        committee_resolution="2026年11月20日认定委员会会议，应到5人，回避1人，实到4人，4票同意免责",
        tolerance_list_version="GUET 容错清单 v3 (2026-10-01)",
        tolerance_entries=["第5条 因市场变化导致成果转化收益未达预期", "第9条 先行先试中出现失误"],
    )
    values.update(overrides)
    return DecisionContent(**values)


def rectification_content(**overrides) -> DecisionContent:
    values = dict(
        facts=(
            "当事人李四于2021年离岗创办桂林云帆机电科技有限公司（统一社会信用代码 91450300MA5K3L7Q24），"
            "任执行董事，持股 30%。\n\n经核查，公司自2022年起使用学校职务科技成果“一种精密减速器”"
            "（ZL201910654321.0），未办理许可手续。"
        ),
        grounds=[
            Ground("补签离岗创业协议", "已于2026年6月补签离岗创业协议，经人事处审批。", ["离岗创业协议（补签）"]),
            Ground("职务科技成果许可", "已与学校签订许可合同并补缴许可费 12 万元。", ["许可合同", "缴费凭证"]),
            Ground("利益冲突申报", "已完成个人有关事项及关联交易申报。", ["利益冲突申报表"]),
        ],
        reasoning="当事人主动申报，各整改事项均已按期完成并通过逐项验收。",
        committee_resolution="2026年11月18日认定委员会会议，应到5人，实到5人，5票同意整改合格",
    )
    values.update(overrides)
    return DecisionContent(**values)


def licence_content(**overrides) -> DecisionContent:
    values = dict(
        facts="桂林漓江智能装备有限公司（小型企业）申请以“先使用后付费”方式实施学校发明专利 ZL202010987654.3。"
        "经审查，该专利权属清晰、处于有效状态，发明人均书面同意许可，且与其他许可不存在冲突。",
        grounds=[
            Ground("权属与有效性", "专利权人为学校，年费已缴纳，专利有效。", ["专利登记簿副本"]),
            Ground("发明人同意", "全体发明人签署同意书。", ["发明人同意书"]),
            Ground("许可冲突检查", "同一成果、领域和地域内无在先独占或排他许可。", ["系统冲突检查记录"]),
        ],
        reasoning="许可条件符合“先使用后付费”政策要求，有利于成果在中小企业转化应用。",
        licence_terms=[
            ("许可类型", "普通许可"),
            ("实施领域", "工业机器人关节减速器"),
            ("实施地域", "中国大陆"),
            ("许可期限", "2026年12月1日至2031年11月30日"),
            ("免费使用期", "12 个月，或首批产品销售之日起终止，以先到者为准"),
            ("付费方式", "入门费 5 万元 + 销售额 3% 提成，按季度支付"),
            ("报告义务", "每季度提交使用与销售情况报告"),
            ("退出条款", "免费使用期内被许可方可书面通知退出，停止使用即可，无需付费"),
        ],
    )
    values.update(overrides)
    return DecisionContent(**values)


CONTENT_BY_KIND = {
    "exemption": exemption_content,
    "rectification": rectification_content,
    "licence": licence_content,
}
