//! Where the window opens (issue 19): at most 90% of the monitor's work area (the screen less
//! the task bar), centred, so a 1280×720 township laptop sees its top and bottom; then where
//! and how big the user left it last time (kept in the data folder, `window.json`), as long as
//! that still fits the screen it is on now.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use tauri::{PhysicalPosition, PhysicalSize, WebviewWindow, WindowEvent};

/// A rectangle in physical pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rect {
    pub x: i32,
    pub y: i32,
    pub width: u32,
    pub height: u32,
}

/// The window's preferred size (logical pixels) when the screen allows it.
const PREFERRED: (f64, f64) = (1280.0, 820.0);
/// The smallest it is made (logical pixels), as the window's own minimum.
const MINIMUM: (f64, f64) = (960.0, 560.0);
const FILE: &str = "window.json";

/// The first window's rectangle: `saved` when it still lies mostly on the work area and fits
/// it, else the preferred size capped at 90% of the work area (never below the minimum unless
/// the screen itself is smaller), centred.
pub fn place(work: Rect, scale: f64, saved: Option<Rect>) -> Rect {
    if let Some(s) = saved {
        let fits = s.width <= work.width && s.height <= work.height;
        let inside = s.x >= work.x
            && s.y >= work.y
            && s.x + s.width as i32 <= work.x + work.width as i32
            && s.y + s.height as i32 <= work.y + work.height as i32;
        if fits && inside && s.width > 0 && s.height > 0 {
            return s;
        }
    }
    let cap = |preferred: f64, minimum: f64, available: u32| -> u32 {
        let ninety = available as f64 * 0.9;
        let want = (preferred * scale)
            .min(ninety)
            .max((minimum * scale).min(available as f64));
        want.round() as u32
    };
    let width = cap(PREFERRED.0, MINIMUM.0, work.width);
    let height = cap(PREFERRED.1, MINIMUM.1, work.height);
    Rect {
        x: work.x + (work.width.saturating_sub(width) / 2) as i32,
        y: work.y + (work.height.saturating_sub(height) / 2) as i32,
        width,
        height,
    }
}

fn file(dir: &Path) -> PathBuf {
    dir.join(FILE)
}

fn load(dir: &Path) -> Option<Rect> {
    serde_json::from_slice(&std::fs::read(file(dir)).ok()?).ok()
}

fn save(dir: &Path, r: Rect) {
    // Written to a temporary name and renamed: a crash never leaves half a file.
    let tmp = dir.join(format!("{FILE}.tmp"));
    if let Ok(bytes) = serde_json::to_vec(&r) {
        if std::fs::write(&tmp, bytes).is_ok() {
            let _ = std::fs::rename(&tmp, file(dir));
        }
    }
}

fn current(window: &WebviewWindow) -> Option<Rect> {
    if window.is_maximized().unwrap_or(false) || window.is_minimized().unwrap_or(false) {
        return None;
    }
    let p = window.outer_position().ok()?;
    let s = window.inner_size().ok()?;
    Some(Rect {
        x: p.x,
        y: p.y,
        width: s.width,
        height: s.height,
    })
}

/// Places the window and remembers it as the user leaves it; shows it once placed.
pub fn apply(window: &WebviewWindow, dir: &Path) {
    let monitor = window
        .current_monitor()
        .ok()
        .flatten()
        .or_else(|| window.primary_monitor().ok().flatten());
    if let Some(m) = monitor {
        let area = m.work_area();
        let work = Rect {
            x: area.position.x,
            y: area.position.y,
            width: area.size.width,
            height: area.size.height,
        };
        let r = place(work, m.scale_factor(), load(dir));
        let _ = window.set_size(PhysicalSize::new(r.width, r.height));
        let _ = window.set_position(PhysicalPosition::new(r.x, r.y));
    }
    let _ = window.show();
    let dir = dir.to_path_buf();
    let w = window.clone();
    window.on_window_event(move |e| {
        if matches!(
            e,
            WindowEvent::CloseRequested { .. } | WindowEvent::Destroyed
        ) {
            if let Some(r) = current(&w) {
                save(&dir, r);
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    const LAPTOP: Rect = Rect {
        x: 0,
        y: 0,
        width: 1280,
        height: 680, // 1280×720 less a 40-pixel task bar
    };

    #[test]
    fn a_small_screen_gets_at_most_ninety_percent_centred() {
        let r = place(LAPTOP, 1.0, None);
        assert!(r.width <= 1152 && r.height <= 612, "{r:?}");
        assert_eq!((r.x, r.y), (64, 34));
        let wide = place(
            Rect {
                x: 0,
                y: 0,
                width: 1920,
                height: 1040,
            },
            1.0,
            None,
        );
        assert_eq!((wide.width, wide.height), (1280, 820));
        assert_eq!((wide.x, wide.y), (320, 110));
    }

    #[test]
    fn a_scaled_screen_counts_in_physical_pixels() {
        let work = Rect {
            x: 0,
            y: 0,
            width: 2560,
            height: 1400,
        };
        let r = place(work, 1.5, None);
        assert_eq!((r.width, r.height), (1920, 1230));
        assert!(r.x >= 0 && r.y >= 0);
    }

    #[test]
    fn the_last_place_is_kept_while_it_fits_the_screen() {
        let saved = Rect {
            x: 10,
            y: 20,
            width: 1000,
            height: 600,
        };
        assert_eq!(place(LAPTOP, 1.0, Some(saved)), saved);
        // Left on a bigger monitor, or off screen: placed afresh.
        let big = Rect {
            width: 1800,
            ..saved
        };
        assert_eq!(place(LAPTOP, 1.0, Some(big)), place(LAPTOP, 1.0, None));
        let off = Rect { y: -50, ..saved };
        assert_eq!(place(LAPTOP, 1.0, Some(off)), place(LAPTOP, 1.0, None));
    }

    #[test]
    fn remembered_across_runs_in_the_data_folder() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(load(dir.path()), None);
        let r = Rect {
            x: 5,
            y: 6,
            width: 700,
            height: 500,
        };
        save(dir.path(), r);
        assert_eq!(load(dir.path()), Some(r));
    }
}
