//! The import, row by row (continued): attachment files placed, rows applied, deletions.
use super::*;

impl<'a> Importer<'a> {
    /// The file of an attachment row about to be written: already here, or from the package —
    /// its content checked as a new photo's is (the type its bytes show must be the row's, and
    /// its size), its thumbnail made here.
    pub(super) fn place_file<R: Read + Seek>(
        &mut self,
        zip: &mut Archive<R>,
        sizes: &HashMap<String, u64>,
        manifest: &Manifest,
        row: &mut Row,
    ) -> Result<()> {
        let path = self.path;
        let Some(dir) = self.data_dir.clone() else {
            return Err(AppError::new(
                ErrorCode::Io,
                "没有数据文件夹，无法保存数据包中的附件",
            ));
        };
        let sha = text(row, "sha256").unwrap_or("").to_string();
        let stored = text(row, "stored").unwrap_or("").to_string();
        let target = attachment::safe_path(&dir, &stored)
            .map_err(|_| self.bad_row("attachment", row, "的存放路径不合法"))?;
        let entry = format!(
            "attachments/{}",
            stored.rsplit('/').next().unwrap_or_default()
        );
        let name = text(row, "file_name").unwrap_or("").to_string();
        let (bytes, head, size) = if target.is_file() {
            // Named by its content: checked when it came.
            let mut head = Vec::with_capacity(16);
            std::fs::File::open(&target)
                .and_then(|f| f.take(16).read_to_end(&mut head))
                .map_err(|e| io_error(&target, &e))?;
            let size = std::fs::metadata(&target)
                .map_err(|e| io_error(&target, &e))?
                .len();
            (None, head, size)
        } else {
            let (Some(&size), Some(expected)) = (sizes.get(&entry), manifest.entries.get(&entry))
            else {
                return Err(self.bad_row("attachment", row, "的文件不在数据包中"));
            };
            let bytes = read_entry(zip, path, &entry, size)?;
            let digest = hex(Sha256::digest(&bytes).as_slice());
            if &digest != expected || digest != sha {
                return Err(rejected(
                    path,
                    format!("其中的“{entry}”校验不符（文件在传输中损坏或被改动过）"),
                ));
            }
            let head = bytes[..bytes.len().min(16)].to_vec();
            (Some(bytes), head, size)
        };
        let mime = text(row, "mime").unwrap_or("");
        match attachment::kind_of(&head, &name) {
            Some((_, m)) if m == mime => {}
            _ => {
                return Err(self.bad_row(
                    "attachment",
                    row,
                    &format!(
                        "的文件内容不是它自称的类型（{}），不能作为附件",
                        crate::validate::clip(mime)
                    ),
                ))
            }
        }
        if row.get("size").and_then(Value::as_u64) != Some(size) {
            return Err(self.bad_row("attachment", row, "的大小与文件不符"));
        }
        if let Some(bytes) = &bytes {
            self.write_new(&target, bytes)?;
            self.report.files += 1;
        }
        if let Some(rel) = text(row, "thumbnail").map(str::to_string) {
            let thumb = attachment::safe_path(&dir, &rel)
                .map_err(|_| self.bad_row("attachment", row, "的缩略图路径不合法"))?;
            if !thumb.is_file() {
                let bytes = match bytes {
                    Some(b) => b,
                    None => std::fs::read(&target).map_err(|e| io_error(&target, &e))?,
                };
                match attachment::thumbnail(&bytes) {
                    Some(t) => self.write_new(&thumb, &t)?,
                    None => {
                        row.insert("thumbnail".into(), Value::Null);
                    }
                }
            }
        }
        Ok(())
    }

    /// Writes a file that is not there yet (through a temporary file beside it), remembering
    /// it and the folders made for it, to be removed if the import fails.
    pub(super) fn write_new(&mut self, target: &Path, bytes: &[u8]) -> Result<()> {
        let dir = target.parent().expect("attachment paths have a folder");
        let mut missing = Vec::new();
        let mut d = dir;
        while !d.exists() {
            missing.push(d.to_path_buf());
            match d.parent() {
                Some(p) => d = p,
                None => break,
            }
        }
        std::fs::create_dir_all(dir).map_err(|e| io_error(dir, &e))?;
        self.made_dirs.extend(missing);
        let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| io_error(dir, &e))?;
        tmp.write_all(bytes).map_err(|e| io_error(target, &e))?;
        tmp.as_file().sync_all().map_err(|e| io_error(target, &e))?;
        tmp.persist(target)
            .map_err(|e| io_error(target, &e.error))?;
        self.placed.push(target.to_path_buf());
        Ok(())
    }

    pub(super) fn apply(
        &mut self,
        table: &'static str,
        mut row: Row,
        file: &mut dyn FnMut(&mut Self, &mut Row) -> Result<()>,
    ) -> Result<()> {
        if let Some(town) = &self.rollup_town {
            match table {
                "town" => {
                    self.count(table, |e| e.unchanged += 1);
                    return Ok(());
                }
                "unit" | "campaign" => {
                    if let Some(Value::String(name)) = row.get("name") {
                        let named = rollup_name(table, town, name);
                        row.insert("name".into(), Value::String(named));
                    }
                }
                _ => {}
            }
        }
        let head = (text(&row, "id"), text(&row, "hlc"));
        if let (Some(id), Some(hlc)) = head {
            if self.known_version(table, id, hlc)? {
                return Ok(());
            }
        }
        let (id, hlc) = self.prepare(table, &mut row)?;
        if let Some(why) = self.waits_for_held_back(table, &row) {
            let local = read_row(self.conn, table, &id)?;
            return self.hold_back(table, &id, &hlc, local.as_ref(), Some(&row), &why);
        }
        // What arrives is checked whole before anything is decided: one bad row refuses the
        // package, whatever would have become of it.
        self.check_refs(table, &row)?;
        self.validate(table, &row)?;
        let decision = self.decide(table, &id, &hlc, &row)?;
        let changes = match &decision {
            Decision::Add | Decision::Restore => Some(None),
            Decision::Update => Some(read_row(self.conn, table, &id)?),
            Decision::IncomingWins { local } => Some(local.clone()),
            _ => None,
        };
        if let Some(before) = &changes {
            if let Some(why) = self
                .maker
                .refuses(self.conn, table, before.as_ref(), Some(&row))?
            {
                return self.hold_back(table, &id, &hlc, before.as_ref(), Some(&row), &why);
            }
        }
        match decision {
            Decision::Unchanged { fix_base } => {
                if fix_base {
                    self.conn
                        .prepare_cached(&format!(
                            "UPDATE {table} SET base_hlc = hlc WHERE id = ?1"
                        ))?
                        .execute([&id])?;
                }
                self.count(table, |e| e.unchanged += 1);
            }
            Decision::Matched(local_id) => {
                self.remap.insert((table, id), local_id);
                self.report.matched += 1;
                self.count(table, |e| e.unchanged += 1);
            }
            Decision::Add | Decision::Restore => {
                file(self, &mut row)?;
                self.write(table, &row, true)?;
                self.note(table, None, Some(&row), "create")?;
                if matches!(decision, Decision::Restore) {
                    self.drop_tombstone(table, &id)?;
                    self.count(table, |e| e.updated += 1);
                } else {
                    self.count(table, |e| e.added += 1);
                }
            }
            Decision::Update => {
                file(self, &mut row)?;
                self.write(table, &row, false)?;
                let before = changes.flatten();
                self.note(table, before.as_ref(), Some(&row), "update")?;
                self.count(table, |e| e.updated += 1);
            }
            Decision::Same { incoming_newer } => {
                let sql = if incoming_newer {
                    format!(
                        "UPDATE {table} SET hlc = ?2, base_hlc = ?2, sync_seq = ?3 WHERE id = ?1"
                    )
                } else {
                    format!("UPDATE {table} SET base_hlc = ?2, sync_seq = ?3 WHERE id = ?1")
                };
                self.conn.execute(&sql, params![id, hlc, self.seq])?;
                self.count(table, |e| e.unchanged += 1);
            }
            Decision::IncomingWins { local } => {
                file(self, &mut row)?;
                self.write(table, &row, local.is_none())?;
                if local.is_none() {
                    self.drop_tombstone(table, &id)?;
                }
                let action = if local.is_some() { "update" } else { "create" };
                self.note(table, local.as_ref(), Some(&row), action)?;
                self.conflict(table, &id, local.as_ref(), Some(&row), Keep::Incoming, None)?;
                self.count(table, |e| e.conflicts += 1);
            }
            Decision::LocalWins { local } => {
                // Ours stays; marked as edited from theirs so it travels back as an update.
                self.conn.execute(
                    &format!("UPDATE {table} SET base_hlc = ?2, sync_seq = ?3 WHERE id = ?1"),
                    params![id, hlc, self.seq],
                )?;
                self.conflict(table, &id, Some(&local), Some(&row), Keep::Local, None)?;
                self.count(table, |e| e.conflicts += 1);
            }
        }
        Ok(())
    }

    pub(super) fn drop_tombstone(&self, table: &str, id: &str) -> Result<()> {
        self.conn
            .prepare_cached("DELETE FROM sync_tombstone WHERE entity = ?1 AND id = ?2")?
            .execute([table, id])?;
        Ok(())
    }

    /// An incoming deletion.
    pub(super) fn apply_tombstone(&mut self, row: &Row) -> Result<()> {
        let table = match text(row, "entity").and_then(|e| TABLES.iter().find(|t| **t == e)) {
            Some(t) => *t,
            None => return Err(self.bad_row("sync", row, "删除记录的类型不对")),
        };
        let id = text(row, "id").unwrap_or("").to_string();
        let hlc = match text(row, "hlc") {
            Some(h) if sync::parse(h).is_some() && is_id(&id) => h.to_string(),
            _ => return Err(self.bad_row(table, row, "的删除记录无效")),
        };
        let base = match row.get("base_hlc") {
            None | Some(Value::Null) => None,
            Some(Value::String(b)) if sync::parse(b).is_some() => Some(b.clone()),
            _ => return Err(self.bad_row(table, row, "的删除记录无效")),
        };
        self.not_ahead(table, row, &hlc)?;
        if hlc > self.max_hlc {
            self.max_hlc = hlc.clone();
        }
        let id = self.local_id(table, &id);
        let keep_tombstone = |s: &Self| -> Result<()> {
            s.conn
                .prepare_cached(
                    "INSERT INTO sync_tombstone (entity, id, hlc, base_hlc, sync_seq)
                     VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT (entity, id) DO UPDATE SET hlc = max(hlc, excluded.hlc),
                         sync_seq = excluded.sync_seq
                     WHERE excluded.hlc > hlc",
                )?
                .execute(params![table, id, hlc, base, s.seq])?;
            Ok(())
        };
        let local: Option<Option<String>> = self
            .conn
            .prepare_cached(&format!("SELECT hlc FROM {table} WHERE id = ?1"))?
            .query_row([&id], |r| r.get(0))
            .optional()?;
        match local {
            // Gone here too (or never here): keep the deletion to pass it on.
            None => {
                keep_tombstone(self)?;
                self.count(table, |e| e.unchanged += 1);
            }
            Some(lh) if lh.is_some() && lh == base => {
                let before = read_row(self.conn, table, &id)?;
                if let Some(why) = self
                    .maker
                    .refuses(self.conn, table, before.as_ref(), None)?
                {
                    return self.hold_back(table, &id, &hlc, before.as_ref(), None, &why);
                }
                // A row others still point at (a unit with records) stays: a conflict.
                match self
                    .conn
                    .execute(&format!("DELETE FROM {table} WHERE id = ?1"), [&id])
                {
                    Ok(_) => {
                        keep_tombstone(self)?;
                        self.note(table, before.as_ref(), None, "delete")?;
                        self.count(table, |e| e.deleted += 1);
                    }
                    Err(e)
                        if e.sqlite_error_code()
                            == Some(rusqlite::ErrorCode::ConstraintViolation) =>
                    {
                        self.keep_against_delete(table, &id, &hlc, before.as_ref(), row)?;
                    }
                    Err(e) => return Err(e.into()),
                }
            }
            Some(_) => {
                let before = read_row(self.conn, table, &id)?;
                self.keep_against_delete(table, &id, &hlc, before.as_ref(), row)?;
            }
        }
        Ok(())
    }

    /// Deleted there, edited here since: the edited row stays, the deletion is a conflict.
    pub(super) fn keep_against_delete(
        &mut self,
        table: &'static str,
        id: &str,
        hlc: &str,
        local: Option<&Row>,
        tomb: &Row,
    ) -> Result<()> {
        self.conn.execute(
            &format!("UPDATE {table} SET base_hlc = ?2, sync_seq = ?3 WHERE id = ?1"),
            params![id, hlc, self.seq],
        )?;
        let mut incoming = Row::new();
        incoming.insert(DELETED.into(), Value::Bool(true));
        incoming.insert("hlc".into(), Value::from(hlc));
        incoming.insert(
            "base_hlc".into(),
            tomb.get("base_hlc").cloned().unwrap_or(Value::Null),
        );
        self.conflict(table, id, local, Some(&incoming), Keep::Local, None)?;
        self.count(table, |e| e.conflicts += 1);
        Ok(())
    }
}
