//! The log: `tracing` events of the app and the core, written to a file a day in the data
//! folder's `logs/` (the last [`KEEP_DAYS`] kept), so what went wrong on a township laptop —
//! where a release build has no console — can be read afterwards. A panic is logged too.

use std::path::{Path, PathBuf};
use tracing::Level;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::time::FormatTime;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// Log files kept (one a day).
pub const KEEP_DAYS: usize = 14;

/// The log folder inside a data folder.
pub fn folder(data_dir: &Path) -> PathBuf {
    data_dir.join("logs")
}

/// Local time in the log, as the user's clock shows it.
struct LocalTime;

impl FormatTime for LocalTime {
    fn format_time(&self, w: &mut Writer<'_>) -> std::fmt::Result {
        write!(
            w,
            "{}",
            chrono::Local::now().format("%Y-%m-%d %H:%M:%S%.3f")
        )
    }
}

/// Starts logging into `data_dir/logs/pufa-planner.YYYY-MM-DD.log`; keep the guard until the
/// process ends (it flushes the file). `None` when the folder cannot be written: the program
/// works on without a log. `also_stderr` copies the events to stderr (the window in a
/// development build; the CLI keeps stderr for its own messages).
pub fn init(
    data_dir: &Path,
    also_stderr: bool,
) -> Option<tracing_appender::non_blocking::WorkerGuard> {
    // Made first: the appender prunes old files before it creates the folder, and says so on
    // stderr when the folder is missing (a fresh data folder).
    std::fs::create_dir_all(folder(data_dir)).ok()?;
    let appender = tracing_appender::rolling::Builder::new()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix("pufa-planner")
        .filename_suffix("log")
        .max_log_files(KEEP_DAYS)
        .build(folder(data_dir))
        .ok()?;
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let targets = Targets::new()
        .with_target("pufa_core", Level::INFO)
        .with_target("pufa_planner", Level::INFO)
        .with_default(Level::WARN);
    let file = tracing_subscriber::fmt::layer()
        .with_writer(writer)
        .with_ansi(false)
        .with_timer(LocalTime);
    let stderr = also_stderr.then(|| {
        tracing_subscriber::fmt::layer()
            .with_writer(std::io::stderr)
            .with_timer(LocalTime)
    });
    tracing_subscriber::registry()
        .with(targets)
        .with(file)
        .with(stderr)
        .try_init()
        .ok()?;
    log_panics();
    tracing::info!(
        version = env!("CARGO_PKG_VERSION"),
        os = std::env::consts::OS,
        data_dir = %data_dir.display(),
        "启动"
    );
    for note in crate::paths::take_move_notes() {
        match note {
            crate::paths::MoveNote::Moved { from, to } => tracing::info!(
                from = %from.display(),
                to = %to.display(),
                "数据文件夹已移到本地应用数据文件夹"
            ),
            crate::paths::MoveNote::Kept { from, to, error } => tracing::warn!(
                from = %from.display(),
                to = %to.display(),
                %error,
                "数据文件夹未能移动，继续使用原位置"
            ),
        }
    }
    Some(guard)
}

/// A panic goes into the log before the usual report.
fn log_panics() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        tracing::error!(panic = %info, "程序内部错误");
        previous(info);
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_reach_a_dated_file_in_the_logs_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let guard = init(tmp.path(), false).expect("logging starts");
        tracing::warn!(target: "pufa_core::backup", "自动备份失败：测试");
        tracing::debug!(target: "pufa_core::backup", "too fine to keep");
        drop(guard);
        let files: Vec<_> = std::fs::read_dir(folder(tmp.path()))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(files.len(), 1, "{files:?}");
        let name = files[0].file_name().unwrap().to_string_lossy().into_owned();
        let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
        assert_eq!(name, format!("pufa-planner.{today}.log"));
        let text = std::fs::read_to_string(&files[0]).unwrap();
        assert!(text.contains("启动"), "{text}");
        assert!(
            text.contains("WARN pufa_core::backup: 自动备份失败：测试"),
            "{text}"
        );
        assert!(!text.contains("too fine"), "{text}");
    }
}
