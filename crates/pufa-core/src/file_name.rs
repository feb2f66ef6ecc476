//! The one sanitiser for every name the app gives a file or a zip entry: the default name an
//! export offers, the folders and files of the photos zip. A name built from user data (an
//! activity's title, an attachment's original name, a village) goes through [`part`], so it
//! can never climb out of its folder (`..`), name a device on Windows (`CON`, `NUL`, `COM1` …),
//! be silently renamed by Windows (a trailing dot or space), hide what it is (direction
//! controls, zero-width characters) or be too long for the file system.

/// Characters Windows forbids in a name (and both path separators).
const FORBIDDEN: &str = r#"\/:*?"<>|"#;

/// At most this many bytes of UTF-8: file systems allow 255, and a zip's reader may add a
/// folder or "（2）" before the name reaches the disk.
const MAX_BYTES: usize = 200;

/// Names Windows keeps for devices, whatever the extension ("nul.txt" is NUL too).
const RESERVED: &[&str] = &[
    "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "COM0", "COM1", "COM2", "COM3", "COM4",
    "COM5", "COM6", "COM7", "COM8", "COM9", "COM¹", "COM²", "COM³", "LPT0", "LPT1", "LPT2", "LPT3",
    "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9", "LPT¹", "LPT²", "LPT³",
];

/// One component of a file or zip-entry name made from `name`: forbidden and invisible
/// characters replaced or dropped, no leading or trailing dots and spaces, not a device name,
/// at most `max_chars` characters (and [`MAX_BYTES`] bytes), the extension kept when it is
/// cut; `fallback` (itself sanitised) when nothing usable is left.
pub fn part(name: &str, max_chars: usize, fallback: &str) -> String {
    let cleaned = clean(name.trim());
    let cut = shorten(&cleaned, max_chars);
    let out = trim(&cut);
    if out.is_empty() {
        let fallback = trim(&shorten(&clean(fallback), max_chars));
        return if fallback.is_empty() {
            "未命名".to_string()
        } else {
            not_reserved(fallback)
        };
    }
    not_reserved(out)
}

/// A zip entry path of sanitised components joined by `/` (never empty, never `..`).
pub fn entry(parts: &[String]) -> String {
    parts
        .iter()
        .map(|p| part(p, 80, "未命名"))
        .collect::<Vec<_>>()
        .join("/")
}

fn clean(name: &str) -> String {
    name.chars()
        .filter(|c| !crate::validate::is_zero_width(*c))
        .map(|c| {
            if c.is_control() || FORBIDDEN.contains(c) || crate::validate::is_bidi_control(c) {
                '-'
            } else {
                c
            }
        })
        .collect()
}

/// Windows drops trailing dots and spaces (so "a." and "a" are one file); a leading dot hides a
/// file elsewhere and "." / ".." are folders, not files.
fn trim(name: &str) -> String {
    name.trim_matches(|c: char| c == '.' || c.is_whitespace())
        .to_string()
}

/// At most `max_chars` characters and [`MAX_BYTES`] bytes; a short extension survives the cut.
fn shorten(name: &str, max_chars: usize) -> String {
    let fits = |s: &str, chars: usize| s.chars().count() <= chars && s.len() <= MAX_BYTES;
    if fits(name, max_chars) {
        return name.to_string();
    }
    let ext = match name.rfind('.') {
        Some(i) if i > 0 && name.len() - i <= 10 => &name[i..],
        _ => "",
    };
    let stem = &name[..name.len() - ext.len()];
    let room_chars = max_chars.saturating_sub(ext.chars().count());
    let mut out = String::new();
    for c in stem.chars().take(room_chars) {
        if out.len() + c.len_utf8() + ext.len() > MAX_BYTES {
            break;
        }
        out.push(c);
    }
    // The stem's own end may now be a dot or a space: "a. .jpg" would keep them before the dot.
    let stem = out.trim_end_matches(|c: char| c == '.' || c.is_whitespace());
    format!("{stem}{ext}")
}

/// "CON", "nul.txt", "Com1 .zip" → "_CON" …: a device name with any extension is still one.
fn not_reserved(name: String) -> String {
    let stem = name.split('.').next().unwrap_or("").trim_end();
    if RESERVED.iter().any(|r| r.eq_ignore_ascii_case(stem)) {
        format!("_{name}")
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbidden_characters_become_dashes() {
        assert_eq!(
            part("a/b\\c:d*e?f\"g<h>i|j", 60, "x"),
            "a-b-c-d-e-f-g-h-i-j"
        );
        assert_eq!(part("\u{0}", 60, "附件"), "-");
        assert_eq!(part("宪法\t进院坝\r\n", 60, "x"), "宪法-进院坝");
    }

    #[test]
    fn no_way_up_and_no_hidden_or_renamed_names() {
        for bad in ["..", ".", "...", " . ", "", "   "] {
            assert_eq!(part(bad, 60, "附件"), "附件", "{bad:?}");
        }
        assert_eq!(part("../evil.png", 60, "x"), "-evil.png");
        assert_eq!(part("..\\..\\evil.png", 60, "x"), "-..-evil.png");
        assert_eq!(part("  结尾有点. ", 60, "x"), "结尾有点");
        assert_eq!(part(".bashrc", 60, "x"), "bashrc");
        assert_eq!(entry(&["..".into(), "../x".into()]), "未命名/-x");
        assert!(!entry(&["2026-12-04 ..".into(), "..".into()])
            .split('/')
            .any(|p| p == ".." || p.is_empty()));
    }

    #[test]
    fn device_names_are_not_used_whatever_the_case_or_extension() {
        for name in [
            "CON", "con", "Nul.txt", "COM1", "lpt9.pdf", "AUX .jpg", "com¹", "CONIN$",
        ] {
            let got = part(name, 60, "x");
            assert!(got.starts_with('_'), "{name} → {got}");
        }
        for fine in ["CONTROL.txt", "COM10", "NULL", "宪法.CON"] {
            assert_eq!(part(fine, 60, "x"), fine);
        }
        // A fallback is made safe too.
        assert_eq!(part("..", 60, "NUL"), "_NUL");
    }

    #[test]
    fn invisible_characters_are_dropped_or_replaced() {
        // "photo" + U+202E + "gpj.exe" shows as "photoexe.jpg".
        assert_eq!(part("photo\u{202E}gpj.exe", 60, "x"), "photo-gpj.exe");
        assert_eq!(part("安静\u{200B}村\u{FEFF}", 60, "x"), "安静村");
    }

    #[test]
    fn long_names_are_cut_keeping_the_extension() {
        let long = format!("{}.jpg", "a".repeat(300));
        let got = part(&long, 80, "x");
        assert!(got.ends_with(".jpg"), "{got}");
        assert_eq!(got.chars().count(), 80);
        let wide = part(&format!("{}.jpg", "长".repeat(300)), 80, "x");
        assert!(wide.ends_with(".jpg") && wide.len() <= MAX_BYTES, "{wide}");
        // Bytes bind before characters for wide text.
        let got = part(&"长".repeat(100), 100, "x");
        assert!(
            got.len() <= MAX_BYTES && got.len() > MAX_BYTES - 3,
            "{}",
            got.len()
        );
        assert_eq!(part(&"a".repeat(100), 60, "x").chars().count(), 60);
        // The cut does not leave a dot or a space at the end of the stem.
        let got = part(&format!("{}. .jpg", "a".repeat(60)), 62, "x");
        assert!(!got.contains(". ") && got.ends_with(".jpg"), "{got}");
    }
}
