//! A backup that inflates: a 1.2 GB attachment of zeros packed into a file of a few dozen KB
//! (zstd). Its preview and its restore must refuse it for what it is — an attachment over the
//! 50 MB cap — without inflating it: the process's peak memory grows by less than 64 MB. (An
//! earlier version read the whole attachment into memory before it looked at its size.)
//!
//! Linux only: the peak is read from /proc (VmHWM, reset through clear_refs), which counts every
//! allocation — SQLite's and zstd's C allocations too, not only Rust's.

#![cfg(target_os = "linux")]

use pufa_core::backup::{self, BackupKind, RestoreOptions};
use pufa_core::town::{setup, SetupInput};
use pufa_core::Db;
use std::io::{Read, Write};

const GB_1_2: u64 = 1_200 * 1024 * 1024;
const LIMIT: u64 = 64 * 1024 * 1024;

fn status_kb(key: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("a value in kB")
}

/// Starts measuring the peak from the memory in use now.
fn reset_peak() {
    std::fs::write("/proc/self/clear_refs", "5").expect("clear_refs");
}

/// A packed backup of `db` (its pages as the app packed them) with one more attachment: `len`
/// zero bytes, streamed through zstd, never held in memory.
fn bomb(made: &std::path::Path, out: &std::path::Path, len: u64) {
    let bytes = std::fs::read(made).unwrap();
    assert_eq!(&bytes[..8], b"PUFABAK\0");
    let description = u32::from_le_bytes(bytes[12..16].try_into().unwrap()) as usize;
    let header = &bytes[..16 + description];
    let mut stream = zstd::stream::read::Decoder::new(&bytes[16 + description..]).unwrap();
    let mut fixed = [0u8; 8];
    stream.read_exact(&mut fixed).unwrap();
    let page_size = u32::from_le_bytes(fixed[..4].try_into().unwrap()) as usize;
    let page_count = u32::from_le_bytes(fixed[4..].try_into().unwrap()) as usize;
    let mut pages = vec![0u8; page_size * page_count];
    stream.read_exact(&mut pages).unwrap();

    let mut file = std::io::BufWriter::new(std::fs::File::create(out).unwrap());
    file.write_all(header).unwrap();
    let mut packed = zstd::stream::write::Encoder::new(file, 1).unwrap();
    packed.include_checksum(true).unwrap();
    packed.write_all(&fixed).unwrap();
    packed.write_all(&pages).unwrap();
    let name = format!("00/{}.jpg", "0".repeat(64));
    packed.write_all(&[1]).unwrap();
    packed
        .write_all(&(name.len() as u32).to_le_bytes())
        .unwrap();
    packed.write_all(name.as_bytes()).unwrap();
    packed.write_all(&len.to_le_bytes()).unwrap();
    let zeros = vec![0u8; 1 << 20];
    let mut left = len;
    while left > 0 {
        let n = left.min(zeros.len() as u64) as usize;
        packed.write_all(&zeros[..n]).unwrap();
        left -= n as u64;
    }
    packed.write_all(&[0]).unwrap();
    packed.finish().unwrap().flush().unwrap();
}

#[test]
fn a_backup_that_inflates_to_gigabytes_is_refused_within_64_mb() {
    let tmp = tempfile::tempdir().unwrap();
    let mut db = Db::open_dir(&tmp.path().join("data")).unwrap();
    setup(
        &mut db,
        &SetupInput {
            town: "双龙镇".into(),
            villages: vec!["安静村".into()],
            ..Default::default()
        },
    )
    .unwrap();
    let made = tmp.path().join("made.pufabak");
    backup::create(
        &db.conn,
        db.data_dir.as_deref(),
        &made,
        BackupKind::Manual,
        &mut |_, _| true,
    )
    .unwrap();
    let file = tmp.path().join("bomb.pufabak");
    bomb(&made, &file, GB_1_2);
    let size = std::fs::metadata(&file).unwrap().len();
    assert!(size < 8 << 20, "a small file: {size} bytes");

    for step in ["preview", "restore"] {
        reset_peak();
        let before = status_kb("VmRSS:") * 1024;
        let e = match step {
            "preview" => backup::inspect(&db.conn, &file).unwrap_err(),
            _ => backup::restore(&mut db, &file, &RestoreOptions::default(), &mut |_, _| true)
                .unwrap_err(),
        };
        let peak = status_kb("VmHWM:") * 1024;
        let grew = peak.saturating_sub(before);
        eprintln!(
            "{step}: a {} KB file holding {} MB refused; peak memory grew by {:.1} MB",
            size / 1024,
            GB_1_2 >> 20,
            grew as f64 / 1048576.0
        );
        assert!(
            e.message.contains("超过附件 50 MB 的上限"),
            "{step}: {}",
            e.message
        );
        assert!(e.message.contains("1200.0 MB"), "{step}: {}", e.message);
        assert!(grew < LIMIT, "{step}: grew by {grew} bytes");
    }
    assert!(
        backup::list(db.data_dir.as_deref().unwrap())
            .unwrap()
            .is_empty(),
        "no backup before a restore that was refused"
    );
}
