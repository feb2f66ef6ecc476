//! Row checks: a row's cells turned into a record input, every problem noted.
use super::*;
use chrono::Datelike;

impl<'a> Importer<'a> {
    /// Turns a row's cells into a record input, noting every problem; `None` when a value is
    /// missing or unreadable.
    pub(super) fn parse(&self, read: &mut RowRead) -> Result<Option<(RecordInput, Key, Hand)>> {
        let date = match parse_date(read.cell(Field::Date)) {
            Ok(Some(d)) => Some(d),
            Ok(None) => {
                self.error(
                    read,
                    Field::Date,
                    Said::new(Problem::DateMissing, "请填写活动日期"),
                );
                None
            }
            Err(m) => {
                self.error(read, Field::Date, m);
                None
            }
        };
        let (mut start_time, mut end_time) = (None, None);
        // A time or a last day written in the date cell: "3月15日上午9时", "14日—15日".
        let tail = match read.cell(Field::Date) {
            Cell::Text(t) => {
                let t: String = fold(t).chars().filter(|c| !c.is_whitespace()).collect();
                split_date_tail(&t).and_then(|(_, tail)| date_tail(tail))
            }
            _ => None,
        };
        let start_cell = read.cell(Field::StartTime);
        let range = time_range(start_cell).or_else(|| part_of_day(&fold(&start_cell.as_text())));
        match (range, read.cell(Field::EndTime)) {
            (Some((a, b)), Cell::Empty) => {
                start_time = Some(a);
                end_time = Some(b);
            }
            _ => {
                for (f, slot) in [
                    (Field::StartTime, &mut start_time),
                    (Field::EndTime, &mut end_time),
                ] {
                    match parse_time(read.cell(f)) {
                        Ok(t) => *slot = t,
                        Err(m) => self.error(read, f, m),
                    }
                }
            }
        }
        match (tail, date) {
            (Some(DateTail::Time(a, b)), _) if start_time.is_none() => {
                start_time = a;
                end_time = end_time.or(b);
            }
            (Some(DateTail::Through(day)), Some(d)) => {
                let written = one_line(&read.cell(Field::Date).as_text());
                let zh = format!(
                    "“{written}”跨了几天，按开始的{}日记录（到{day}日）",
                    d.day()
                );
                let said = Said::new(Problem::DateRange, zh)
                    .with("written", written.as_str())
                    .with("first", d.day())
                    .with("last", day);
                self.warn(read, Field::Date, said);
                read.notes.push(format!("活动日期原填“{written}”"));
            }
            _ => {}
        }
        let unit_text = one_line(&read.cell(Field::Unit).as_text());
        let unit = if !self.header.has(Field::Unit) {
            match &self.lookups.asked.village {
                Some((id, _)) => Some(id.clone()),
                None => {
                    let zh = "这张表没有“村/社区”列，请填写整张表的村/社区（命令行用 --village）";
                    self.error(read, Field::Unit, Said::new(Problem::NoVillageColumn, zh));
                    None
                }
            }
        } else if unit_text.is_empty() {
            self.error(
                read,
                Field::Unit,
                Said::new(Problem::VillageMissing, "请填写村/社区"),
            );
            None
        } else {
            match self.lookups.unit(&unit_text) {
                Ok(u) => Some(u.id.clone()),
                Err(m) => {
                    self.error(read, Field::Unit, m);
                    None
                }
            }
        };
        let venue = self.line(read, Field::Venue, 100);
        let title = self.line(read, Field::Title, 100);
        if title.is_empty()
            && read
                .errors
                .iter()
                .all(|e| e.column != self.column(Field::Title))
        {
            self.error(
                read,
                Field::Title,
                Said::new(Problem::TitleMissing, "请填写活动名称"),
            );
        }
        let formats = self.vocabulary(
            read,
            Field::Formats,
            ActivityFormat::ALL,
            ActivityFormat::code,
            ActivityFormat::label,
            FORMAT_WORDS,
            ActivityFormat::Other,
        );
        let formats = match (&self.lookups.asked.format, self.header.has(Field::Formats)) {
            (Some(f), false) => list_items(f)
                .iter()
                .filter_map(|i| {
                    match_word(
                        i,
                        ActivityFormat::ALL,
                        ActivityFormat::code,
                        ActivityFormat::label,
                        FORMAT_WORDS,
                    )
                })
                .collect(),
            _ => formats,
        };
        if formats.is_empty() && !self.header.has(Field::Formats) {
            let zh = "这张表没有“活动形式”列，请填写整张表的活动形式（命令行用 --format）";
            self.error(read, Field::Formats, Said::new(Problem::NoFormatColumn, zh));
        } else if formats.is_empty() && read.cell(Field::Formats) == &EMPTY {
            let zh = "请填写活动形式（可从下拉列表选择）";
            self.error(read, Field::Formats, Said::new(Problem::FormatMissing, zh));
        }
        let audiences = self.vocabulary(
            read,
            Field::Audiences,
            Audience::ALL,
            Audience::code,
            Audience::label,
            AUDIENCE_WORDS,
            Audience::Other,
        );
        let laws_text = read.cell(Field::Laws).as_text();
        let laws: Vec<String> = validate::split_list(&laws_text)
            .iter()
            .map(|l| one_line(l))
            .collect();
        let speakers = self.speakers(read);
        let mut participants = self.count(read, Field::Participants);
        // People merged with an earlier row's are counted there (the warning says so).
        if participants.is_none()
            && read.cell(Field::Participants) == &EMPTY
            && read.covered.iter().any(|(f, _)| *f == Field::Participants)
        {
            participants = Some(0);
        }
        if participants.is_none() && read.cell(Field::Participants) == &EMPTY {
            let said = Said::new(Problem::ParticipantsMissing, "请填写参加人数");
            self.error(read, Field::Participants, said);
        }
        let reach = self.count(read, Field::Reach);
        let mut counts = [None; crate::record::N_COUNTS];
        for (v, f) in counts.iter_mut().zip(crate::record::COUNTS) {
            *v = self.count(read, Field::Count(f.column)).map(|n| n as f64);
        }
        let hand = self.materials(read);
        let narrative_text = lines(&read.cell(Field::Narrative).as_text());
        let mut narrative = self.within(read, Field::Narrative, narrative_text, 300);
        let mut recorder = self.line(read, Field::Recorder, 30);
        if recorder.is_empty() && read.cell(Field::Recorder) == &EMPTY {
            match &self.lookups.recorder {
                Some(name) => recorder = name.clone(),
                None => self.error(
                    read,
                    Field::Recorder,
                    Said::new(Problem::RecorderMissing, "请填写记录人"),
                ),
            }
        }
        if !read.errors.is_empty() {
            return Ok(None);
        }
        let (Some(date), Some(unit_id), Some(participants)) = (date, unit, participants) else {
            return Ok(None);
        };
        if !read.notes.is_empty() {
            // Kept only when it fits; the warnings say the same.
            let note = format!("（{}）", read.notes.join("；"));
            if narrative.chars().count() + note.chars().count() <= 300 {
                narrative.push_str(&note);
            }
        }
        let key = Key {
            date,
            unit: unit_id.clone(),
            title: title_key(&title),
            venue: name_key(&venue),
            time: start_time.clone().unwrap_or_default(),
        };
        let input = RecordInput {
            title,
            date: date.to_string(),
            start_time,
            end_time,
            unit_id: Some(unit_id),
            venue: Some(venue),
            formats: formats.iter().map(|f| f.code().to_string()).collect(),
            audiences: audiences.iter().map(|a| a.code().to_string()).collect(),
            laws,
            speakers,
            participants: participants as f64,
            reach: reach.map(|r| r as f64),
            counts: crate::record::RecordCountsInput::from_values(counts),
            narrative: Some(narrative),
            materials: hand
                .iter()
                .map(|(m, q, _)| MaterialLineInput {
                    material_id: Some(m.id.clone()),
                    material_name: None,
                    quantity: *q as f64,
                    unit: Some(m.unit.clone()),
                })
                .collect(),
            recorder,
            // Past hand-outs often predate the stock ledger: imported as given, and the
            // preview warns where a store goes below zero.
            confirm_below_zero: true,
            ..Default::default()
        };
        Ok(Some((input, key, hand)))
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn vocabulary<T: Copy + PartialEq>(
        &self,
        read: &mut RowRead,
        f: Field,
        all: &[T],
        code: fn(T) -> &'static str,
        label: fn(T) -> &'static str,
        words: &[(&str, T)],
        other: T,
    ) -> Vec<T> {
        let text = read.cell(f).as_text();
        let mut out: Vec<T> = Vec::new();
        let mut unknown = Vec::new();
        for item in list_items(&text) {
            let v = match match_word(&item, all, code, label, words) {
                Some(v) => v,
                None => {
                    unknown.push(validate::clip(&item));
                    other
                }
            };
            if !out.contains(&v) {
                out.push(v);
            }
        }
        if !unknown.is_empty() {
            let written = unknown.join("、");
            let zh = format!("“{written}”不在列表中，按“{}”计", label(other));
            let said = Said::new(Problem::NotInList, zh).with("written", written.as_str());
            self.warn(read, f, said);
            read.notes
                .push(format!("{}原填“{written}”", self.column(f)));
        }
        out
    }

    /// 主讲人: "王明（律师）、李华"; the role in brackets, else the person's role in the town's
    /// list, else 其他.
    pub(super) fn speakers(&self, read: &mut RowRead) -> Vec<Speaker> {
        let text = read.cell(Field::Speakers).as_text();
        let mut out = Vec::new();
        for item in validate::split_list(&text) {
            let item = one_line(&item);
            let folded = fold(&item);
            let bracketed = folded
                .strip_suffix(')')
                .and_then(|s| s.rsplit_once('('))
                .and_then(|(name, role)| {
                    PersonRole::parse("speakers", role)
                        .ok()
                        .map(|r| (name.trim().to_string(), r))
                });
            let (name, role) = match bracketed {
                Some((name, role)) if !name.is_empty() => (name, role),
                _ => {
                    let role = self
                        .lookups
                        .roles
                        .get(&item)
                        .and_then(|r| PersonRole::parse("speakers", r).ok())
                        .unwrap_or(PersonRole::Other);
                    (item, role)
                }
            };
            let name = self.within(read, Field::Speakers, name, 30);
            if !name.is_empty() {
                out.push(Speaker { name, role });
            }
        }
        out
    }

    /// A quantity column without its material column: "宪法读本20册、折页100份" read as a list
    /// of the catalogue's materials, a number as copies of the sheet's 宣传资料.
    fn copies(&self, read: &mut RowRead, qf: Field, out: &mut Hand) {
        let add = |out: &mut Hand, m: &Material, q: i64| match out
            .iter_mut()
            .find(|(x, _, _)| x.id == m.id)
        {
            Some((_, total, _)) => *total += q,
            None => out.push((m.clone(), q, qf)),
        };
        let q = match parse_count(read.cell(qf)) {
            Ok(q) => q,
            Err(m) => {
                let text = one_line(&read.cell(qf).as_text());
                let listed = listed_materials(&text).and_then(|items| {
                    items
                        .into_iter()
                        .map(|(item, q)| Some((self.lookups.materials.get(&name_key(&item))?, q)))
                        .collect::<Option<Vec<_>>>()
                });
                match listed {
                    Some(items) => {
                        for (m, q) in items.into_iter().filter(|(_, q)| *q > 0) {
                            add(out, m, q);
                        }
                    }
                    None => self.error(read, qf, m),
                }
                return;
            }
        };
        let Some(q) = q.filter(|q| q.value > 0) else {
            return;
        };
        if let Some(written) = &q.approx {
            self.warn(read, qf, approximate(written, q.value));
            read.notes
                .push(format!("{}原填“{written}”", self.column(qf)));
        }
        // Previewing, the material may not be made yet: the warning of `flush` says it will be.
        if let Some(m) = &self.generic {
            add(out, m, q.value)
        }
    }

    /// The 发放资料/数量 pairs: catalogue materials and positive quantities.
    pub(super) fn materials(&self, read: &mut RowRead) -> Hand {
        let mut out: Hand = Vec::new();
        for n in 1..=MAX_MATERIALS {
            let (mf, qf) = (Field::Material(n), Field::Quantity(n));
            let name = one_line(&read.cell(mf).as_text());
            // Copies handed out without a column naming them ("发放资料（份）"): a list of
            // catalogue materials written in the cell, else copies of 宣传资料.
            if self.header.has(qf) && !self.header.has(mf) && read.cell(qf) != &EMPTY {
                self.copies(read, qf, &mut out);
                continue;
            }
            let quantity = match parse_count(read.cell(qf)) {
                Ok(q) => q,
                Err(m) => {
                    self.error(read, qf, m);
                    continue;
                }
            };
            if name.is_empty() {
                if quantity.is_some_and(|q| q.value > 0) {
                    let zh = "填写了数量，但没有填写发放的资料";
                    self.error(read, qf, Said::new(Problem::QuantityWithoutMaterial, zh));
                }
                continue;
            }
            // A whole list in one cell, as the 台账 writes it ("宪法读本5册、反诈折页100份"),
            // read when every name in it is in the catalogue.
            if quantity.is_none() && !self.lookups.materials.contains_key(&name_key(&name)) {
                let listed = listed_materials(&name).and_then(|items| {
                    items
                        .into_iter()
                        .map(|(item, q)| {
                            let m = self.lookups.materials.get(&name_key(&item))?;
                            Some((m.clone(), q))
                        })
                        .collect::<Option<Vec<_>>>()
                });
                if let Some(items) = listed {
                    for (m, q) in items.into_iter().filter(|(_, q)| *q > 0) {
                        match out.iter_mut().find(|(x, _, _)| x.id == m.id) {
                            Some((_, total, _)) => *total += q,
                            None => out.push((m, q, mf)),
                        }
                    }
                    continue;
                }
            }
            let Some(m) = self.lookups.materials.get(&name_key(&name)) else {
                let name = validate::clip(&name);
                let zh = format!(
                    "“宣传资料”目录中没有“{name}”，请先在“宣传资料”中添加，或从下拉列表选择"
                );
                let said = Said::new(Problem::MaterialUnknown, zh).with("name", name);
                self.error(read, mf, said);
                continue;
            };
            let Some(q) = quantity else {
                let zh = format!("请填写“{}”的发放数量", m.name);
                let said = Said::new(Problem::QuantityMissing, zh).with("name", m.name.as_str());
                self.error(read, qf, said);
                continue;
            };
            if let Some(written) = &q.approx {
                self.warn(read, qf, approximate(written, q.value));
                read.notes.push(format!("{}数量原填“{written}”", m.name));
            }
            if q.value == 0 {
                continue;
            }
            match out.iter_mut().find(|(x, _, _)| x.id == m.id) {
                Some((_, total, _)) => *total += q.value,
                None => out.push((m.clone(), q.value, mf)),
            }
        }
        out
    }
}
