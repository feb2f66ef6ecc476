//! Numbers and names written the way township reports write them: large totals rounded down
//! with 余 ("9800余", "1263万余") or written 近 a round figure ("近5000", "近万"), 万 and 亿 for
//! big figures, names of days and campaigns in quotation marks ("“12·4”国家宪法日",
//! "2027年“春风行动”"). Every report (the headline, the Word reports) uses these functions.

/// A large total as reports write it.
///
/// - below 100: exact;
/// - 100 to 9,999: rounded down to two significant figures with 余 ("9800余"), exact when
///   nothing is dropped; within 1 % below a round thousand or hundred, 近 it ("近5000",
///   9,950 → "近万");
/// - from 10,000: in 万 — one decimal below 10万 ("1.2万余", "1.5万"), whole 万 above
///   ("12万余", "1263万余"); 近 only before a round figure ("近2万", "近10万"); from 1亿 in 亿.
pub fn approx(n: i64) -> String {
    if n < 100 {
        return n.to_string();
    }
    if n < 10_000 {
        let m = 10i64.pow(n.ilog10());
        let next = (n / m + 1) * m;
        if n % m != 0 && (next - n) * 100 <= next {
            return if next == 10_000 {
                "近万".into()
            } else {
                format!("近{next}")
            };
        }
        let step = m / 10;
        let down = n / step * step;
        return if down == n {
            n.to_string()
        } else {
            format!("{down}余")
        };
    }
    let (unit, word) = if n >= 100_000_000 {
        (100_000_000, "亿")
    } else {
        (10_000, "万")
    };
    // Below ten of the unit, count in tenths (1.2万); above, in whole units (12万).
    let step = if n < 10 * unit { unit / 10 } else { unit };
    let steps = n / step;
    let show = |steps: i64| {
        if step == unit {
            steps.to_string()
        } else if steps % 10 == 0 {
            (steps / 10).to_string()
        } else {
            format!("{}.{}", steps / 10, steps % 10)
        }
    };
    let next = (steps + 1) * step;
    // 近 only before a round figure of the unit: 2万, 10万, 100万 …
    let one_figure = |x: i64| x > 0 && x % 10i64.pow(x.ilog10()) == 0;
    let round = next % unit == 0 && one_figure(next / unit);
    if n % step != 0 && round && (next - n) * 100 <= next {
        return format!("近{}{word}", show(steps + 1));
    }
    let rest = if n % step != 0 { "余" } else { "" };
    format!("{}{word}{rest}", show(steps))
}

/// A label inside running text: full-width brackets, a leading date in quotes
/// ("4·15全民国家安全教育日" → "“4·15”全民国家安全教育日").
pub fn in_text(label: &str) -> String {
    let label = label.replace('(', "（").replace(')', "）");
    let date_len = label
        .char_indices()
        .take_while(|(_, c)| c.is_ascii_digit() || *c == '·' || *c == '.')
        .last()
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(0);
    let date = &label[..date_len];
    if date.contains('·') && date.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        format!("“{date}”{}", &label[date_len..])
    } else {
        label
    }
}

/// A 普法节点 in running text: a leading date in quotes ("“12·4”国家宪法日"), and the name of
/// an action (春风行动, 护苗行动) in quotes as a whole ("“春风行动·返岗务工送法”").
pub fn node_in_text(label: &str) -> String {
    let text = in_text(label);
    if text.contains('“') || !text.contains("行动") {
        text
    } else {
        format!("“{text}”")
    }
}

/// The year a campaign's name starts with: "2027年", "2026—2027年度", "2026-2027年".
fn year_prefix(name: &str) -> usize {
    let digits = |s: &str| s.chars().take_while(char::is_ascii_digit).count();
    let mut at = digits(name);
    if at != 4 {
        return 0;
    }
    let rest = &name[at..];
    if let Some(dash) = ['—', '-', '－', '至', '~']
        .into_iter()
        .find(|d| rest.starts_with(*d))
    {
        let after = &rest[dash.len_utf8()..];
        if digits(after) == 4 {
            at += dash.len_utf8() + 4;
        }
    }
    let rest = &name[at..];
    if let Some(r) = rest.strip_prefix("年度") {
        at + (rest.len() - r.len())
    } else if let Some(r) = rest.strip_prefix('年') {
        at + (rest.len() - r.len())
    } else if at > 4 {
        // A season across the new year without 年: "2025-2026岁末年初…".
        at
    } else {
        0
    }
}

/// A campaign's name inside running text, its proper part in quotation marks:
/// "2027年春风行动" → "2027年“春风行动”", "2026年民法典宣传月活动" → "2026年“民法典宣传月”活动",
/// "12·4宪法宣传周" → "“12·4”宪法宣传周". A name that already holds quotation marks or book
/// title marks is left as it is.
pub fn campaign_in_text(name: &str) -> String {
    let name = name.trim();
    if name.is_empty() || name.contains(['“', '”', '"', '《', '「']) {
        return name.to_string();
    }
    let year = year_prefix(name);
    let (head, rest) = name.split_at(year);
    let head = head.replace(['-', '－', '~'], "—");
    if rest.starts_with(|c: char| c.is_ascii_digit()) {
        return format!("{head}{}", in_text(rest));
    }
    let core = rest.strip_suffix("活动").unwrap_or(rest);
    let tail = &rest[core.len()..];
    if core.is_empty() {
        return name.to_string();
    }
    format!(
        "{head}“{}”{tail}",
        core.replace('(', "（").replace(')', "）")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_totals_as_reports_write_them() {
        let cases: &[(i64, &str)] = &[
            (0, "0"),
            (7, "7"),
            (99, "99"),
            (100, "100"),
            (101, "100余"),
            (356, "350余"),
            (998, "近1000"),
            (1000, "1000"),
            (3050, "3000余"),
            (4900, "4900"),
            (4960, "近5000"),
            (4990, "近5000"),
            (5528, "5500余"),
            (6304, "6300余"),
            (9804, "9800余"),
            (9899, "9800余"),
            (9900, "近万"),
            (9950, "近万"),
            (10_000, "1万"),
            (10_500, "1万余"),
            (12_345, "1.2万余"),
            (12_950, "1.2万余"),
            (15_000, "1.5万"),
            (19_999, "近2万"),
            (23_456, "2.3万余"),
            (98_000, "9.8万"),
            (99_500, "近10万"),
            (100_000, "10万"),
            (123_456, "12万余"),
            (996_000, "近100万"),
            (1_263_805, "126万余"),
            (12_638_056, "1263万余"),
            (17_745_298, "1774万余"),
            (100_000_000, "1亿"),
            (150_000_000, "1.5亿"),
            (1_234_567_890, "12亿余"),
        ];
        for (n, want) in cases {
            assert_eq!(approx(*n), *want, "{n}");
        }
    }

    #[test]
    fn a_rounded_total_never_claims_more_than_there_is() {
        // "9800余" and "1.2万余" are below n; "近5000" is above, but within 1 %.
        for n in (100..200_000).step_by(7) {
            let s = approx(n);
            let near = s.starts_with('近');
            let body = s.trim_start_matches('近').trim_end_matches('余');
            let value = if let Some(w) = body.strip_suffix('万') {
                w.parse::<f64>().unwrap_or(1.0) * 10_000.0
            } else {
                body.parse::<f64>().unwrap()
            };
            if near {
                assert!(value > n as f64 && value <= n as f64 * 1.0102, "{n} {s}");
            } else {
                assert!(value <= n as f64, "{n} {s}");
                assert!(value >= n as f64 * 0.9, "{n} {s}: loses less than a tenth");
                assert_eq!(s.ends_with('余'), value < n as f64, "{n} {s}");
            }
        }
    }

    #[test]
    fn names_in_running_text() {
        assert_eq!(
            in_text("4·15全民国家安全教育日"),
            "“4·15”全民国家安全教育日"
        );
        assert_eq!(in_text("12·4国家宪法日"), "“12·4”国家宪法日");
        assert_eq!(in_text("民法典宣传月"), "民法典宣传月");
        assert_eq!(in_text("知识产权宣传周(4月)"), "知识产权宣传周（4月）");
        assert_eq!(
            node_in_text("春风行动·返岗务工送法"),
            "“春风行动·返岗务工送法”"
        );
        assert_eq!(node_in_text("12·4国家宪法日"), "“12·4”国家宪法日");
        assert_eq!(node_in_text("民法典宣传月"), "民法典宣传月");
        let cases = [
            ("2027年春风行动", "2027年“春风行动”"),
            ("春风行动", "“春风行动”"),
            ("2026年民法典宣传月活动", "2026年“民法典宣传月”活动"),
            (
                "2026-2027年度根治欠薪冬季专项行动",
                "2026—2027年度“根治欠薪冬季专项行动”",
            ),
            (
                "2026年“12·4”国家宪法日暨宪法宣传周",
                "2026年“12·4”国家宪法日暨宪法宣传周",
            ),
            ("2026年12·4宪法宣传周", "2026年“12·4”宪法宣传周"),
            (
                "2025-2026岁末年初农民工法律服务",
                "2025—2026“岁末年初农民工法律服务”",
            ),
            (
                "2026年春风行动·返岗务工送法",
                "2026年“春风行动·返岗务工送法”",
            ),
            ("《民法典》进企业", "《民法典》进企业"),
            ("2026年", "2026年"),
        ];
        for (name, want) in cases {
            assert_eq!(campaign_in_text(name), want, "{name}");
        }
    }
}
