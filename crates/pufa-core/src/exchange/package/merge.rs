//! The import, row by row: what each incoming row does here (added, updated, unchanged, a
//! conflict), its checks and its writes.
use super::*;

/// Foreign keys of the exchanged tables: (column, table it points to).
pub(super) fn refs(table: &str) -> &'static [(&'static str, &'static str)] {
    match table {
        "person" | "store" => &[("unit_id", "unit")],
        "activity" => &[
            ("unit_id", "unit"),
            ("lead_person_id", "person"),
            ("series_id", "activity_series"),
        ],
        "record" => &[("activity_id", "activity"), ("unit_id", "unit")],
        "attachment" => &[("record_id", "record")],
        "stock_movement" => &HANDOUT_REFS,
        _ => &[],
    }
}

pub(super) const HANDOUT_REFS: [(&str, &str); 3] = [
    ("material_id", "material"),
    ("from_store_id", "store"),
    ("to_store_id", "store"),
];

#[derive(Debug)]
pub(super) enum Decision {
    Unchanged {
        fix_base: bool,
    },
    /// Made on both sides under the same name: use the local row's id.
    Matched(String),
    Add,
    /// Deleted here, edited there from the deleted version: it comes back.
    Restore,
    Update,
    /// Same data, different versions: adopt the greater version.
    Same {
        incoming_newer: bool,
    },
    IncomingWins {
        local: Option<Row>,
    },
    LocalWins {
        local: Row,
    },
}

pub(super) struct Importer<'a> {
    pub(super) conn: &'a Connection,
    pub(super) path: &'a Path,
    pub(super) seq: i64,
    pub(super) data_dir: Option<PathBuf>,
    /// (table, incoming id) → local id, for rows matched by name.
    pub(super) remap: HashMap<(&'static str, String), String>,
    pub(super) columns: HashMap<&'static str, Vec<String>>,
    pub(super) entities: BTreeMap<&'static str, EntityReport>,
    pub(super) report: PackageReport,
    pub(super) max_hlc: String,
    /// Files this import put into the data folder, removed again if it fails.
    pub(super) placed: Vec<PathBuf>,
    pub(super) records_written: u64,
    /// The tally triggers are dropped (see BULK_RECORDS) and must be resumed.
    pub(super) tallies_suspended: bool,
    /// Importing into a county's roll-up: the package's town name.
    pub(super) rollup_town: Option<String>,
    /// Who made the package, and what it may change.
    pub(super) maker: Maker,
    /// "安静村的电脑（王五）", for the trail.
    pub(super) maker_label: String,
    pub(super) package_id: String,
    /// The user of this laptop, who imports (read once for the trail).
    pub(super) user: Option<town::UserProfile>,
    /// The trail of the rows changed, written in batches.
    pub(super) trail: Vec<Vec<Sql>>,
    /// Rows not applied because the maker may not change them: rows that need them wait too.
    pub(super) held_back: HashSet<(&'static str, String)>,
    /// Folders this import made for attachment files, removed again (when empty) if it fails.
    pub(super) made_dirs: Vec<PathBuf>,
}

/// Entries of the audit trail written per statement.
pub(super) const TRAIL_BATCH: usize = 64;

/// Where a changed row's entry goes in the trail: (entity, id, action). A record's attachments
/// belong to the record's history, as the window adds them.
pub(super) fn trail_target<'r>(
    table: &'r str,
    row: &'r Row,
    action: &'static str,
) -> (&'r str, &'r str, &'static str) {
    let id = text(row, "id").unwrap_or("");
    match table {
        "attachment" => (
            "record",
            text(row, "record_id").unwrap_or(""),
            match action {
                "delete" => "detach",
                _ => "attach",
            },
        ),
        "stock_movement" | "store" => ("stock", id, action),
        "activity_series" => ("activity", id, action),
        t => (t, id, action),
    }
}

/// A row as the trail shows it: its fields, without versions.
pub(super) fn trail_body(row: Option<&Row>) -> Option<Value> {
    row.map(|r| {
        let mut r = r.clone();
        for k in ["hlc", "base_hlc", "sync_seq"] {
            r.remove(k);
        }
        Value::Object(r)
    })
}

/// A town's unit or campaign name inside a county's roll-up.
pub(super) fn rollup_name(table: &str, town: &str, name: &str) -> String {
    match table {
        "unit" if name.starts_with(town) => name.to_string(),
        "unit" => format!("{town}{name}"),
        _ if name.starts_with(&format!("{town}：")) => name.to_string(),
        _ => format!("{town}：{name}"),
    }
}

impl<'a> Importer<'a> {
    /// An importer of the package at `path` (its attachments placed under `data_dir`) writing
    /// in the transaction `conn`.
    pub(super) fn new(
        conn: &'a Connection,
        path: &'a Path,
        data_dir: Option<PathBuf>,
    ) -> Importer<'a> {
        Importer {
            conn,
            path,
            seq: 0,
            data_dir,
            remap: HashMap::new(),
            columns: HashMap::new(),
            entities: BTreeMap::new(),
            report: PackageReport::default(),
            max_hlc: String::new(),
            placed: Vec::new(),
            records_written: 0,
            tallies_suspended: false,
            rollup_town: None,
            maker: Maker::Town,
            maker_label: String::new(),
            package_id: String::new(),
            user: None,
            trail: Vec::new(),
            held_back: HashSet::new(),
            made_dirs: Vec::new(),
        }
    }

    /// Adds the entry of one changed row to the trail: which package, from whom, before and
    /// after (`action`: create, update, delete).
    pub(super) fn note(
        &mut self,
        table: &'static str,
        before: Option<&Row>,
        after: Option<&Row>,
        action: &'static str,
    ) -> Result<()> {
        let row = after.or(before).expect("a change has a row");
        let (entity, id, action) = trail_target(table, row, action);
        let summary = format!(
            "数据包导入（{}，数据包 {}）：{}{}“{}”",
            self.maker_label,
            crate::validate::clip(&self.package_id),
            audit::action_label(action),
            label(table),
            crate::validate::clip(&title_of(row))
        );
        let entry = audit::row(
            self.user.as_ref(),
            entity,
            id,
            action,
            &summary,
            trail_body(before).as_ref(),
            trail_body(after).as_ref(),
        );
        self.trail.push(entry);
        if self.trail.len() >= TRAIL_BATCH {
            self.flush_trail()?;
        }
        Ok(())
    }

    pub(super) fn flush_trail(&mut self) -> Result<()> {
        let rows = std::mem::take(&mut self.trail);
        insert_rows(self.conn, "audit_log", &audit::COLUMNS, &rows)
    }

    /// The content of a row through the checks typed input gets; refuses the package naming the
    /// row and the field.
    pub(super) fn validate(&self, table: &'static str, row: &Row) -> Result<()> {
        crate::inbound::check(self.conn, table, row).map_err(|e| {
            let mut refused = self.bad_row(table, row, &format!("：{}", e.message));
            refused.field = e.field.or(refused.field);
            refused
        })
    }

    /// Why a row waits: it needs a row this import held back (None: it does not).
    pub(super) fn waits_for_held_back(&self, table: &str, row: &Row) -> Option<String> {
        let mut needs: Vec<(&'static str, &str)> = refs(table)
            .iter()
            .filter_map(|(column, target)| text(row, column).map(|v| (*target, v)))
            .collect();
        needs.extend(
            row.get(CAMPAIGNS)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(|c| ("campaign", c)),
        );
        needs
            .into_iter()
            .find(|(t, id)| self.held_back.contains(&(*t, id.to_string())))
            .map(|(t, _)| format!("它用到的{}超出了数据包制作者的权限，没有导入", label(t)))
    }

    /// A change the package's maker may not make: not applied, kept for the coordinator with
    /// the reason. Ours (if any) stays and travels back as the version to keep.
    pub(super) fn hold_back(
        &mut self,
        table: &'static str,
        id: &str,
        hlc: &str,
        local: Option<&Row>,
        incoming: Option<&Row>,
        why: &str,
    ) -> Result<()> {
        self.held_back.insert((table, id.to_string()));
        if local.is_some() {
            self.conn.execute(
                &format!("UPDATE {table} SET base_hlc = ?2, sync_seq = ?3 WHERE id = ?1"),
                params![id, hlc, self.seq],
            )?;
        } else {
            // A new row: the same package again keeps one conflict, not two.
            let kept: Option<String> = self
                .conn
                .prepare_cached(
                    "SELECT id FROM sync_conflict WHERE entity = ?1 AND entity_id = ?2
                       AND resolved_at IS NULL AND json_extract(incoming_json, '$.hlc') = ?3",
                )?
                .query_row(params![table, id, hlc], |r| r.get(0))
                .optional()?;
            if kept.is_some() {
                self.count(table, |e| e.unchanged += 1);
                return Ok(());
            }
        }
        let deleted = incoming.is_none().then(|| {
            let mut m = Row::new();
            m.insert(DELETED.into(), Value::Bool(true));
            m.insert("hlc".into(), Value::from(hlc));
            m
        });
        self.conflict(
            table,
            id,
            local,
            incoming.or(deleted.as_ref()),
            Keep::Local,
            Some(why),
        )?;
        self.report.out_of_scope += 1;
        self.count(table, |e| e.conflicts += 1);
        Ok(())
    }

    pub(super) fn columns(&mut self, table: &'static str) -> Result<Vec<String>> {
        if let Some(c) = self.columns.get(table) {
            return Ok(c.clone());
        }
        let cols: Vec<String> = self
            .conn
            .prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        self.columns.insert(table, cols.clone());
        Ok(cols)
    }

    pub(super) fn count(&mut self, table: &'static str, f: impl FnOnce(&mut EntityReport)) {
        let e = self.entities.entry(table).or_insert_with(|| EntityReport {
            entity: table.into(),
            label: label(table).into(),
            ..Default::default()
        });
        f(e);
    }

    pub(super) fn bad_row(&self, table: &str, row: &Row, why: &str) -> AppError {
        let id = text(row, "id").unwrap_or("?");
        rejected(
            self.path,
            format!(
                "其中的{}“{}”（{}）{why}",
                label(table),
                crate::validate::clip(&title_of(row)),
                crate::validate::clip(id)
            ),
        )
    }

    pub(super) fn local_id(&self, table: &'static str, id: &str) -> String {
        self.remap
            .get(&(table, id.to_string()))
            .cloned()
            .unwrap_or_else(|| id.to_string())
    }

    pub(super) fn exists(&self, table: &str, id: &str) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached(&format!("SELECT 1 FROM {table} WHERE id = ?1"))?
            .query_row([id], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// Checks the row's shape and versions, and points its references at local ids.
    pub(super) fn prepare(
        &mut self,
        table: &'static str,
        row: &mut Row,
    ) -> Result<(String, String)> {
        let id = match text(row, "id") {
            Some(id) if is_id(id) => id.to_string(),
            _ => return Err(self.bad_row(table, row, "没有有效的编号")),
        };
        let hlc = match text(row, "hlc") {
            Some(h) if sync::parse(h).is_some() => h.to_string(),
            _ => return Err(self.bad_row(table, row, "的版本号无效")),
        };
        self.not_ahead(table, row, &hlc)?;
        match row.get("base_hlc") {
            None | Some(Value::Null) => {}
            Some(Value::String(b)) if sync::parse(b).is_some() => {}
            _ => return Err(self.bad_row(table, row, "的版本号无效")),
        }
        if table == "stock_movement" && text(row, "kind") == Some("handout") {
            return Err(self.bad_row(table, row, "是发放记录，应随活动记录一起"));
        }
        if table == "attachment" {
            // Where the file is kept and its thumbnail are made here, from its hash and type:
            // never a path the package chose.
            let sha = text(row, "sha256").unwrap_or("");
            let mime = text(row, "mime").unwrap_or("");
            match attachment::paths_of(sha, mime) {
                Some((stored, thumbnail)) => {
                    row.insert("stored".into(), Value::from(stored));
                    row.insert(
                        "thumbnail".into(),
                        thumbnail.map(Value::from).unwrap_or(Value::Null),
                    );
                }
                None => return Err(self.bad_row(table, row, "的校验值或文件类型无效")),
            }
        }
        if hlc > self.max_hlc {
            self.max_hlc = hlc.clone();
        }
        for (column, target) in refs(table) {
            if let Some(v) = text(row, column).map(str::to_string) {
                let local = self.local_id(target, &v);
                row.insert(column.to_string(), Value::from(local));
            }
        }
        if let Some(list) = row.get(CAMPAIGNS) {
            let Some(list) = list.as_array() else {
                return Err(self.bad_row(table, row, "的活动专项格式不对"));
            };
            let mut ids = Vec::new();
            for c in list {
                let Some(c) = c.as_str() else {
                    return Err(self.bad_row(table, row, "的活动专项格式不对"));
                };
                ids.push(self.local_id("campaign", c));
            }
            ids.sort();
            ids.dedup();
            row.insert(CAMPAIGNS.into(), ids.into_iter().map(Value::from).collect());
        }
        if let Some(list) = row.get(HANDOUTS).cloned() {
            let Some(list) = list.as_array() else {
                return Err(self.bad_row(table, row, "的发放资料格式不对"));
            };
            let mut out = Vec::new();
            for h in list {
                let Some(h) = h.as_object() else {
                    return Err(self.bad_row(table, row, "的发放资料格式不对"));
                };
                let mut h = h.clone();
                if text(&h, "kind") != Some("handout") || text(&h, "id").is_none() {
                    return Err(self.bad_row(table, row, "的发放资料格式不对"));
                }
                for (column, target) in HANDOUT_REFS {
                    if let Some(v) = text(&h, column).map(str::to_string) {
                        h.insert(column.into(), Value::from(self.local_id(target, &v)));
                    }
                }
                h.insert("record_id".into(), Value::from(id.clone()));
                out.push(Value::Object(h));
            }
            out.sort_by(|a, b| {
                let key = |v: &Value| {
                    v.get("id")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string()
                };
                key(a).cmp(&key(b))
            });
            row.insert(HANDOUTS.into(), Value::Array(out));
        }
        Ok((id, hlc))
    }

    /// Refuses a version stamped more than a day ahead of this laptop's clock: it would win
    /// every conflict and drag the clock along (see `sync::MAX_AHEAD_MS`).
    pub(super) fn not_ahead(&self, table: &str, row: &Row, hlc: &str) -> Result<()> {
        match sync::ahead_of_now(hlc) {
            None => Ok(()),
            Some(days) => {
                let mut e = self.bad_row(
                    table,
                    row,
                    &format!(
                        "的版本时间（{}）比本机时钟快 {days} 天，超过了一天；制作数据包的电脑\
                         日期可能设置错了，请校正那台电脑的日期后重新导出",
                        sync::hlc_time(hlc)
                    ),
                );
                e.field = Some("hlc".into());
                Err(e)
            }
        }
    }

    /// Every row this one points at exists here (or arrived earlier in the package).
    pub(super) fn check_refs(&self, table: &str, row: &Row) -> Result<()> {
        let missing = |target: &str, id: &str| {
            self.bad_row(
                table,
                row,
                &format!(
                    "用到的{}（{}）在本机和数据包里都没有；请让对方导出全部数据（不勾选“仅上次以来的变化”）后再导入",
                    label(target),
                    crate::validate::clip(id)
                ),
            )
        };
        for (column, target) in refs(table) {
            if let Some(v) = text(row, column) {
                if !self.exists(target, v)? {
                    return Err(missing(target, v));
                }
            }
        }
        for c in row
            .get(CAMPAIGNS)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let c = c.as_str().unwrap_or("");
            if !self.exists("campaign", c)? {
                return Err(missing("campaign", c));
            }
        }
        for h in row
            .get(HANDOUTS)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            for (column, target) in HANDOUT_REFS {
                if let Some(v) = h.get(column).and_then(Value::as_str) {
                    if !self.exists(target, v)? {
                        return Err(missing(target, v));
                    }
                }
            }
        }
        Ok(())
    }

    /// A row made on both sides that must be unique by name: the local one.
    pub(super) fn natural_match(&self, table: &str, row: &Row) -> Result<Option<String>> {
        let sql = match table {
            "unit" | "material" => format!("SELECT id FROM {table} WHERE name = ?1"),
            "store" => "SELECT id FROM store WHERE name = ?1 OR unit_id IS ?2".into(),
            _ => return Ok(None),
        };
        let name = text(row, "name").unwrap_or("");
        let unit = text(row, "unit_id");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let found = if table == "store" {
            stmt.query_row(params![name, unit], |r| r.get(0))
                .optional()?
        } else {
            stmt.query_row([name], |r| r.get(0)).optional()?
        };
        Ok(found)
    }

    pub(super) fn decide(
        &mut self,
        table: &'static str,
        id: &str,
        hlc: &str,
        row: &Row,
    ) -> Result<Decision> {
        let base = text(row, "base_hlc");
        let local: Option<(Option<String>, Option<String>)> = self
            .conn
            .prepare_cached(&format!("SELECT hlc, base_hlc FROM {table} WHERE id = ?1"))?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let Some((lh, lb)) = local else {
            let tomb: Option<(String, Option<String>)> = self
                .conn
                .prepare_cached(
                    "SELECT hlc, base_hlc FROM sync_tombstone WHERE entity = ?1 AND id = ?2",
                )?
                .query_row([table, id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            return Ok(match tomb {
                // Edited there from our deletion (a resolved conflict): it comes back.
                Some((th, _)) if base == Some(th.as_str()) => Decision::Restore,
                // We deleted the version they still have.
                Some((_, tb)) if tb.as_deref() == Some(hlc) => {
                    Decision::Unchanged { fix_base: false }
                }
                Some(_) => Decision::IncomingWins { local: None },
                None => match self.natural_match(table, row)? {
                    Some(local_id) => Decision::Matched(local_id),
                    None => Decision::Add,
                },
            });
        };
        let lh_s = lh.as_deref().unwrap_or("");
        if lh_s == hlc {
            return Ok(Decision::Unchanged {
                fix_base: lb.as_deref() != Some(hlc),
            });
        }
        if lh.is_some() && base == lh.as_deref() {
            return Ok(Decision::Update);
        }
        if lb.as_deref() == Some(hlc) {
            return Ok(Decision::Unchanged { fix_base: false });
        }
        let local_row = read_row(self.conn, table, id)?.unwrap_or_default();
        if same_content(&local_row, row) {
            return Ok(Decision::Same {
                incoming_newer: hlc > lh_s,
            });
        }
        Ok(if hlc > lh_s {
            Decision::IncomingWins {
                local: Some(local_row),
            }
        } else {
            Decision::LocalWins { local: local_row }
        })
    }

    /// The fast path for most rows of a package: a version this database already has (the
    /// same, or the one ours was edited from). Counted as unchanged; nothing else to check.
    pub(super) fn known_version(
        &mut self,
        table: &'static str,
        id: &str,
        hlc: &str,
    ) -> Result<bool> {
        if sync::parse(hlc).is_none() {
            return Ok(false);
        }
        let local: Option<(Option<String>, Option<String>)> = self
            .conn
            .prepare_cached(&format!("SELECT hlc, base_hlc FROM {table} WHERE id = ?1"))?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let Some((lh, lb)) = local else {
            return Ok(false);
        };
        let same = lh.as_deref() == Some(hlc);
        if !same && lb.as_deref() != Some(hlc) {
            return Ok(false);
        }
        if same && lb.as_deref() != Some(hlc) {
            self.conn
                .prepare_cached(&format!("UPDATE {table} SET base_hlc = hlc WHERE id = ?1"))?
                .execute([id])?;
        }
        if hlc > self.max_hlc.as_str() {
            self.max_hlc = hlc.to_string();
        }
        self.count(table, |e| e.unchanged += 1);
        Ok(true)
    }

    /// Inserts or updates the row (and its parts) as it arrived; base_hlc = its version.
    pub(super) fn write(&mut self, table: &'static str, row: &Row, insert: bool) -> Result<()> {
        if table == "record" {
            self.records_written += 1;
            if self.records_written == BULK_RECORDS && !self.tallies_suspended {
                crate::reports::tally::suspend(self.conn)?;
                self.tallies_suspended = true;
            }
        }
        let cols = self.columns(table)?;
        let id = text(row, "id").unwrap_or("").to_string();
        let hlc = text(row, "hlc").unwrap_or("").to_string();
        let mut names = Vec::new();
        let mut values = Vec::new();
        for c in &cols {
            let v = match c.as_str() {
                "base_hlc" => Sql::Text(hlc.clone()),
                "sync_seq" => Sql::Integer(self.seq),
                "id" if !insert => continue,
                c => match row.get(c) {
                    Some(v) => {
                        to_sql(v).ok_or_else(|| self.bad_row(table, row, "的数据格式不对"))?
                    }
                    None => continue,
                },
            };
            names.push(c.as_str());
            values.push(v);
        }
        let sql = if insert {
            format!(
                "INSERT INTO {table} ({}) VALUES ({})",
                names.join(", "),
                vec!["?"; names.len()].join(", ")
            )
        } else {
            values.push(Sql::Text(id.clone()));
            format!(
                "UPDATE {table} SET {} WHERE id = ?",
                names
                    .iter()
                    .map(|n| format!("{n} = ?"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        self.conn
            .prepare_cached(&sql)?
            .execute(rusqlite::params_from_iter(values))
            .map_err(|e| self.bad_row(table, row, &format!("无法写入（{e}）")))?;
        self.write_children(table, &id, row, insert)
    }

    pub(super) fn write_children(
        &mut self,
        table: &'static str,
        id: &str,
        row: &Row,
        insert: bool,
    ) -> Result<()> {
        let (link_table, column) = match table {
            "record" => ("record_campaign", "record_id"),
            "activity" => ("activity_campaign", "activity_id"),
            _ => return Ok(()),
        };
        // An edit of the fields alone leaves links and hand-outs as they are (fewer writes,
        // and the tallies and stock balances move only when they must).
        let mut current = Row::new();
        if !insert {
            current.insert("id".into(), Value::from(id));
            add_children(self.conn, table, &mut current)?;
        }
        let empty = Value::Array(Vec::new());
        let wanted = row.get(CAMPAIGNS).unwrap_or(&empty);
        if insert || current.get(CAMPAIGNS) != Some(wanted) {
            self.conn
                .prepare_cached(&format!("DELETE FROM {link_table} WHERE {column} = ?1"))?
                .execute([id])?;
            let mut stmt = self.conn.prepare_cached(&format!(
                "INSERT INTO {link_table} ({column}, campaign_id) VALUES (?1, ?2)"
            ))?;
            for c in wanted.as_array().into_iter().flatten() {
                stmt.execute(params![id, c.as_str()])?;
            }
        }
        if table == "record" {
            let wanted = row.get(HANDOUTS).unwrap_or(&empty);
            if insert || current.get(HANDOUTS) != Some(wanted) {
                self.conn
                    .prepare_cached(
                        "DELETE FROM stock_movement WHERE record_id = ?1 AND kind = 'handout'",
                    )?
                    .execute([id])?;
                let cols = self.columns("stock_movement")?;
                for h in wanted.as_array().into_iter().flatten() {
                    let h = h.as_object().expect("checked in prepare");
                    let mut names = Vec::new();
                    let mut values = Vec::new();
                    for c in &cols {
                        if let Some(v) = h.get(c) {
                            names.push(c.as_str());
                            values.push(
                                to_sql(v).ok_or_else(|| {
                                    self.bad_row(table, row, "的发放资料格式不对")
                                })?,
                            );
                        }
                    }
                    self.conn
                        .prepare_cached(&format!(
                            "INSERT INTO stock_movement ({}) VALUES ({})",
                            names.join(", "),
                            vec!["?"; names.len()].join(", ")
                        ))?
                        .execute(rusqlite::params_from_iter(values))
                        .map_err(|e| {
                            self.bad_row(table, row, &format!("的发放资料无法写入（{e}）"))
                        })?;
                }
            }
        }
        Ok(())
    }

    pub(super) fn conflict(
        &mut self,
        table: &str,
        id: &str,
        local: Option<&Row>,
        incoming: Option<&Row>,
        winner: Keep,
        reason: Option<&str>,
    ) -> Result<()> {
        let deleted = || {
            let mut m = Row::new();
            m.insert(DELETED.into(), Value::Bool(true));
            m
        };
        let json = |r: Option<&Row>| {
            serde_json::to_string(&r.cloned().unwrap_or_else(deleted)).expect("rows serialise")
        };
        self.conn.execute(
            "INSERT INTO sync_conflict (id, entity, entity_id, local_json, incoming_json, winner,
                 created_at, reason)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                crate::new_id(),
                table,
                id,
                json(local),
                json(incoming),
                winner.code(),
                crate::now(),
                reason
            ],
        )?;
        Ok(())
    }
}
