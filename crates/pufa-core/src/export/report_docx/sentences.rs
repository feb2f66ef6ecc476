//! The sentences of a report.
use super::*;

/// "全镇" / "全乡" / "全街道".
pub(super) fn whole(town: &Town) -> String {
    let name = town.name.trim();
    if name.ends_with("街道") {
        "全街道".into()
    } else if name.ends_with('乡') {
        "全乡".into()
    } else {
        "全镇".into()
    }
}

/// The town's government: "双龙镇人民政府", "龙江街道办事处".
pub(super) fn government(town: &Town) -> String {
    let name = town.name.trim();
    if name.ends_with("街道") {
        format!("{name}办事处")
    } else {
        format!("{name}人民政府")
    }
}

/// "…共开展各类普法活动62场次，参与群众5300余人，受教育群众7000余人次，现场解答法律咨询630余人次。"
pub(super) fn totals_sentence(lead: &str, s: &Summary) -> String {
    let mut t = format!("{lead}共开展各类普法活动{}场次", s.activities);
    if s.participants > 0 {
        t.push_str(&format!("，参与群众{}人", approx(s.participants)));
    }
    if s.reach > 0 {
        t.push_str(&format!("，受教育群众{}人次", approx(s.reach)));
    }
    if s.counts.consultations > 0 {
        t.push_str(&format!(
            "，现场解答法律咨询{}人次",
            approx(s.counts.consultations)
        ));
    }
    t.push('。');
    t
}

/// "发放宪法宣传折页、民法典宣传手册等宣传资料3种5200余份，宪法读本等法治读本2种250余册，
/// 有奖问答奖品30个；悬挂横幅62条，摆放展板62块，出动宣传车3台。" — each unit on its own,
/// never added across units. None when nothing was handed out or shown.
pub(super) fn materials_sentence(s: &Summary) -> Option<String> {
    let mut parts = Vec::new();
    for u in s.material_units.iter().filter(|u| u.quantity > 0) {
        let mut items: Vec<&reports::MaterialTotal> =
            s.materials.iter().filter(|m| m.unit == u.unit).collect();
        items.sort_by(|a, b| b.quantity.cmp(&a.quantity).then(a.name.cmp(&b.name)));
        let amount = format!("{}{}", approx(u.quantity), u.unit);
        parts.push(match items.as_slice() {
            [one] => format!("{}{amount}", one.name),
            _ => {
                let names: Vec<&str> = items.iter().take(2).map(|m| m.name.as_str()).collect();
                format!("{}等{}{}种{amount}", names.join("、"), u.label, u.kinds)
            }
        });
    }
    let mut shown = Vec::new();
    if s.counts.banners > 0 {
        shown.push(format!("悬挂横幅{}条", s.counts.banners));
    }
    if s.counts.boards > 0 {
        shown.push(format!("摆放展板{}块", s.counts.boards));
    }
    if s.counts.vehicles > 0 {
        shown.push(format!("出动宣传车{}台", s.counts.vehicles));
    }
    let mut text = String::new();
    if !parts.is_empty() {
        text = format!("发放{}", parts.join("，"));
    }
    if !shown.is_empty() {
        if !text.is_empty() {
            text.push('；');
        }
        text.push_str(&shown.join("，"));
    }
    if text.is_empty() {
        let clauses = count_clauses(s);
        return (!clauses.is_empty()).then_some(clauses);
    }
    text.push('。');
    if s.counts.online_posts > 0 {
        text.push_str(&format!(
            "依托微信公众号、微信群等新媒体平台推送普法信息{}条",
            s.counts.online_posts
        ));
        if s.counts.online_views > 0 {
            text.push_str(&format!("，阅读量{}人次", approx(s.counts.online_views)));
        }
        text.push('。');
    }
    let mut cases = Vec::new();
    if s.counts.disputes > 0 {
        cases.push(format!("调解矛盾纠纷{}件", s.counts.disputes));
    }
    if s.counts.legal_aid_cases > 0 {
        cases.push(format!("办理法律援助案件{}件", s.counts.legal_aid_cases));
    }
    if !cases.is_empty() {
        text.push_str(&format!("结合普法活动{}。", cases.join("，")));
    }
    text.push_str(&count_clauses(s));
    Some(text)
}

/// The clauses the record's field table gives its counts ("组织法律明白人、普法志愿者参与N人次。"),
/// for each total above 0.
fn count_clauses(s: &Summary) -> String {
    crate::record::COUNTS
        .iter()
        .zip(s.counts.values())
        .filter(|(_, n)| *n > 0)
        .filter_map(|(c, n)| {
            c.report
                .map(|r| format!("{}。", r.replace("{}", &n.to_string())))
        })
        .collect()
}

/// A group of nodes in running text: "“12·4”国家宪法日暨宪法宣传周" when two share the same
/// activities, "民法典宣传月、“4·15”全民国家安全教育日" when they overlap, the first three
/// "等节点" beyond.
pub(super) fn node_group_text(g: &reports::NodeGroup) -> String {
    let labels: Vec<String> = g.labels.iter().map(|l| node_in_text(l)).collect();
    match labels.len() {
        2 if g.same_records => labels.join("暨"),
        0..=3 => labels.join("、"),
        _ => format!("{}等节点", labels[..3].join("、")),
    }
}

/// "紧扣重要普法节点集中开展宣传，围绕“12·4”国家宪法日暨宪法宣传周开展活动13场次，围绕民法典宣传月开展活动19场次。"
/// Each activity is counted in one group only, so the groups never add up to more than the
/// total.
pub(super) fn nodes_sentence(f: &Facts) -> Option<String> {
    if f.node_groups.is_empty() {
        return None;
    }
    let shown: Vec<String> = f
        .node_groups
        .iter()
        .take(8)
        .map(|g| format!("围绕{}开展活动{}场次", node_group_text(g), g.activities))
        .collect();
    let more = if f.node_groups.len() > 8 { "等" } else { "" };
    Some(format!(
        "紧扣重要普法节点集中开展宣传，{}{more}。",
        shown.join("，")
    ))
}

/// "活动形式以集中宣传（33场次）、法治讲座（19场次）等为主，重点面向村（居）民（35场次）…等群体。"
/// One activity can have several formats and audiences: when the ones named add up to more than
/// the 场次, they are named without their counts, so the sentence never implies more activities
/// than there were.
pub(super) fn forms_sentence(s: &Summary) -> Option<String> {
    let list = |b: &[Breakdown], n: usize| -> String {
        let shown = &b[..b.len().min(n)];
        let counted = shown.iter().map(|x| x.activities).sum::<i64>() <= s.activities;
        shown
            .iter()
            .map(|x| {
                if counted {
                    format!("{}（{}场次）", in_text(&x.label), x.activities)
                } else {
                    in_text(&x.label)
                }
            })
            .collect::<Vec<_>>()
            .join("、")
    };
    let mut parts = Vec::new();
    if !s.by_format.is_empty() {
        parts.push(format!("活动形式以{}等为主", list(&s.by_format, 3)));
    }
    if !s.by_audience.is_empty() {
        parts.push(format!("重点面向{}等群体", list(&s.by_audience, 4)));
    }
    (!parts.is_empty()).then(|| format!("{}。", parts.join("，")))
}

/// Names in a sentence: all of a few, the first ten of many ("…等25个村（社区）").
pub(super) fn some_names(names: &[&str]) -> String {
    if names.len() <= 10 {
        names.join("、")
    } else {
        format!("{}等{}个村（社区）", names[..10].join("、"), names.len())
    }
}

/// "活动覆盖全镇21个村（社区），实现“每村至少一次”全覆盖。", or which villages have records
/// waiting for review or sent back and which have none.
pub(super) fn coverage_sentence(f: &Facts) -> Option<String> {
    if f.villages == 0 {
        return None;
    }
    let s = &f.summary;
    let whole = whole(&f.town);
    let n = f.villages;
    if s.villages_without.is_empty() && s.villages_in_review.is_empty() {
        return Some(format!(
            "活动覆盖{whole}{n}个村（社区），实现“每村至少一次”全覆盖。"
        ));
    }
    let covered = n.saturating_sub(s.villages_without.len() + s.villages_in_review.len());
    let mut parts = vec![if covered == 0 {
        format!("{whole}{n}个村（社区）尚无{}", s.basis.words())
    } else {
        format!("活动覆盖{whole}{n}个村（社区）中的{covered}个")
    }];
    let pending: Vec<&str> = s
        .villages_in_review
        .iter()
        .filter(|v| v.pending > 0)
        .map(|v| v.name.as_str())
        .collect();
    let returned: Vec<&str> = s
        .villages_in_review
        .iter()
        .filter(|v| v.pending == 0)
        .map(|v| v.name.as_str())
        .collect();
    if !pending.is_empty() {
        parts.push(format!("{}的活动记录待审核", some_names(&pending)));
    }
    if !returned.is_empty() {
        parts.push(format!("{}的活动记录已退回修改", some_names(&returned)));
    }
    let without: Vec<&str> = s.villages_without.iter().map(String::as_str).collect();
    if !without.is_empty() {
        parts.push(format!("{}尚未开展活动", some_names(&without)));
    }
    Some(format!("{}。", parts.join("，")))
}

/// 一、基本情况 of a report: its paragraphs, or the sentence that nothing is recorded.
pub(super) fn basics(doc: &mut Document, f: &Facts, lead: &str, nothing: &str) {
    let s = &f.summary;
    if s.activities == 0 {
        doc.body(nothing);
        return;
    }
    doc.body(&totals_sentence(lead, s));
    if let Some(t) = materials_sentence(s) {
        doc.body(&t);
    }
    let mut ways = String::new();
    for t in [nodes_sentence(f), forms_sentence(s)].into_iter().flatten() {
        ways.push_str(&t);
    }
    if !ways.is_empty() {
        doc.body(&ways);
    }
    if let Some(t) = coverage_sentence(f) {
        doc.body(&t);
    }
}

/// 二、三、四: the text people wrote, or placeholders.
pub(super) fn written_parts(doc: &mut Document, texts: &ReportText) {
    doc.heading1("二、主要做法");
    doc.user_block(&texts.practices, "（请填写主要做法）");
    doc.heading1("三、存在的问题");
    doc.user_block(&texts.problems, "（请填写存在的问题）");
    doc.heading1("四、下一步工作打算");
    doc.user_block(&texts.plans, "（请填写下一步工作打算）");
}

pub(super) fn today() -> String {
    full_date_cn(chrono::Local::now().date_naive())
}

pub(super) fn issuer(texts: &ReportText, default: String) -> String {
    let t = texts.issuer.trim();
    if t.is_empty() {
        default
    } else {
        t.to_string()
    }
}
