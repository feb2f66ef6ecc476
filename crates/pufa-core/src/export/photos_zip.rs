//! 照片和附件打包: the attachments of a filtered set of records in one zip, a folder per
//! activity named by date and title ("2026-12-04 安静村宪法进院坝"), each file under the name
//! it was added with. Photos are stored as they are (JPEG does not shrink again); names are
//! made safe for Windows by the one sanitiser (`file_name`) and unique within their folder.

use super::{write_atomic, Exported};
use crate::attachment::{self, safe_path, Attachment};
use crate::db::Db;
use crate::error::{AppError, ErrorCode, Result};
use crate::file_name;
use crate::record::{self, RecordFilter};
use std::collections::HashSet;
use std::path::Path;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// `name`, or `name（2）`, `name（3）` … before its extension, whichever is not taken yet.
fn unique(taken: &mut HashSet<String>, name: String) -> String {
    if taken.insert(name.to_lowercase()) {
        return name;
    }
    let (stem, ext) = match name.rfind('.') {
        Some(i) if i > 0 => (&name[..i], &name[i..]),
        _ => (name.as_str(), ""),
    };
    (2..)
        .map(|n| format!("{stem}（{n}）{ext}"))
        .find(|candidate| taken.insert(candidate.to_lowercase()))
        .expect("some number is free")
}

/// Writes the zip; `count` is the number of files in it. A filter whose records have no
/// attachments is a clear message and writes nothing.
pub fn export(db: &Db, path: &Path, filter: &RecordFilter) -> Result<Exported> {
    let data_dir = db
        .data_dir
        .as_deref()
        .ok_or_else(|| AppError::new(ErrorCode::Io, "没有数据文件夹，读不到附件"))?;
    let mut folders: Vec<(String, Vec<Attachment>)> = Vec::new();
    let mut taken_folders = HashSet::new();
    // The records of the 台账 the photos belong to: the same basis as its workbook.
    let filter = filter.resolved(&db.conn)?;
    let filter = filter.with_basis(filter.output_basis()?);
    record::for_each(&db.conn, &filter, |r| {
        let files = attachment::list(&db.conn, &r.id)?;
        if !files.is_empty() {
            let folder = file_name::part(&format!("{} {}", r.date, r.title), 60, &r.date);
            folders.push((unique(&mut taken_folders, folder), files));
        }
        Ok(())
    })?;
    if folders.is_empty() {
        return Err(AppError::new(
            ErrorCode::NotFound,
            "所选时间和条件下的活动记录没有照片或附件，没有生成文件",
        ));
    }
    let mut count = 0u32;
    write_atomic(path, |file| {
        let mut zip = ZipWriter::new(file);
        let options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Stored)
            .large_file(true);
        for (folder, files) in &folders {
            let mut taken = HashSet::new();
            for a in files {
                let name = unique(&mut taken, file_name::part(&a.file_name, 80, "附件"));
                let mut source = std::fs::File::open(safe_path(data_dir, &a.stored)?)?;
                zip.start_file(format!("{folder}/{name}"), options)
                    .map_err(zip_error)?;
                std::io::copy(&mut source, &mut zip)?;
                count += 1;
            }
        }
        zip.finish().map_err(zip_error)?;
        Ok(())
    })?;
    Ok(Exported {
        path: path.to_string_lossy().into_owned(),
        count,
    })
}

fn zip_error(e: zip::result::ZipError) -> AppError {
    AppError::new(ErrorCode::Io, format!("写入压缩包失败：{e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::RecordInput;

    fn town_with_photos() -> (tempfile::TempDir, Db) {
        let tmp = tempfile::tempdir().unwrap();
        let mut db = Db::open_dir(&tmp.path().join("data")).unwrap();
        crate::town::setup(
            &mut db,
            &crate::town::SetupInput {
                town: "双龙镇".into(),
                villages: vec!["安静村".into(), "石院村".into()],
                user: Some(crate::town::UserInput {
                    name: "李明".into(),
                    role: "coordinator".into(),
                    village: None,
                }),
                ..Default::default()
            },
        )
        .unwrap();
        let record = |db: &mut Db, title: &str, date: &str, village: &str| {
            record::create(
                db,
                &RecordInput {
                    title: title.into(),
                    date: date.into(),
                    unit_id: Some(village.into()),
                    formats: vec!["lecture".into()],
                    participants: 40.0,
                    recorder: "李明".into(),
                    ..Default::default()
                },
            )
            .unwrap()
            .id
        };
        let a = record(&mut db, "宪法进院坝: 第1场?", "2026-03-05", "安静村");
        let b = record(&mut db, "宪法进院坝: 第1场?", "2026-03-05", "石院村");
        record(&mut db, "没有照片的活动", "2026-03-06", "安静村");
        let later = record(&mut db, "下半年活动", "2026-09-01", "安静村");
        let file = |name: &str, bytes: &[u8]| {
            let p = tmp.path().join(name);
            std::fs::write(&p, bytes).unwrap();
            p
        };
        let pdf1 = file("签到表.pdf", b"%PDF-1.4 one");
        let pdf2 = file("方案.pdf", b"%PDF-1.4 two");
        attachment::add(&mut db, &a, &pdf1, "sign_in").unwrap();
        attachment::add(&mut db, &a, &pdf2, "plan").unwrap();
        // The same content in two records: stored once, packed in both folders.
        attachment::add(&mut db, &b, &pdf1, "sign_in").unwrap();
        attachment::add(&mut db, &later, &pdf2, "plan").unwrap();
        (tmp, db)
    }

    use crate::testing::zip_entries as entries;

    #[test]
    fn a_folder_per_activity_with_its_files_under_safe_names() {
        let (tmp, db) = town_with_photos();
        let out = tmp.path().join("照片.zip");
        let done = export(
            &db,
            &out,
            &RecordFilter {
                from: Some("2026-03-01".into()),
                to: Some("2026-03-31".into()),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(done.count, 3);
        let got = entries(&out);
        let names: Vec<&str> = got.iter().map(|(n, _)| n.as_str()).collect();
        // Two activities with the same date and title: two folders; ":" and "?" replaced.
        assert!(
            names.contains(&"2026-03-05 宪法进院坝- 第1场-/签到表.pdf"),
            "{names:?}"
        );
        assert!(
            names.contains(&"2026-03-05 宪法进院坝- 第1场-/方案.pdf"),
            "{names:?}"
        );
        assert!(
            names.contains(&"2026-03-05 宪法进院坝- 第1场-（2）/签到表.pdf"),
            "{names:?}"
        );
        let sign_in = got
            .iter()
            .find(|(n, _)| n.ends_with("第1场-/签到表.pdf"))
            .unwrap();
        assert_eq!(sign_in.1, b"%PDF-1.4 one", "the stored bytes, unchanged");
        assert!(
            !names.iter().any(|n| n.contains("下半年")),
            "outside the period"
        );
    }

    #[test]
    fn nothing_to_pack_is_a_message_and_no_file() {
        let (tmp, db) = town_with_photos();
        let out = tmp.path().join("空.zip");
        let e = export(
            &db,
            &out,
            &RecordFilter {
                from: Some("2025-01-01".into()),
                to: Some("2025-12-31".into()),
                ..Default::default()
            },
        )
        .unwrap_err();
        assert_eq!(e.code, ErrorCode::NotFound);
        assert!(e.message.contains("没有照片或附件"));
        assert!(!out.exists());
    }

    #[test]
    fn names_are_unique_within_a_folder() {
        let mut taken = HashSet::new();
        assert_eq!(unique(&mut taken, "照片.jpg".into()), "照片.jpg");
        assert_eq!(unique(&mut taken, "照片.JPG".into()), "照片（2）.JPG");
        assert_eq!(unique(&mut taken, "照片.jpg".into()), "照片（3）.jpg");
    }
}
