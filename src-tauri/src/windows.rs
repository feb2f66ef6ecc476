//! What only Windows needs from the shell: a console for the CLI of the window program, and a
//! message box when the window cannot start (a release build has no console to print to).

/// A release build of the window program has no console of its own: borrow the terminal's so
/// a subcommand's output shows. (cmd and PowerShell do not wait for a window program, nor see
/// its exit code: `pufa-cli.exe` is the program for the command line.)
#[cfg(windows)]
pub fn attach_console() {
    #[allow(unsafe_code)]
    // SAFETY: AttachConsole has no memory-safety preconditions; failure (no parent console)
    // is harmless and ignored.
    unsafe {
        windows_sys::Win32::System::Console::AttachConsole(
            windows_sys::Win32::System::Console::ATTACH_PARENT_PROCESS,
        );
    }
}

#[cfg(not(windows))]
pub fn attach_console() {}

/// What to tell the user when the window cannot open. Most often on Windows: no WebView2
/// runtime (Windows 10 without updates, or a trimmed system).
pub fn window_failed_text(error: &str) -> String {
    if error.to_ascii_lowercase().contains("webview2") {
        format!(
            "普法活动规划与台账的窗口需要 Microsoft Edge WebView2 运行时，这台电脑上没有找到它。\n\n\
             请安装“WebView2 运行时”（常青版，免费）：在能上网的电脑上搜索\
             “Microsoft Edge WebView2 Runtime 下载”，下载独立安装程序\
             （MicrosoftEdgeWebView2RuntimeInstallerX64.exe），拷到这台电脑上运行，然后重新打开本程序。\
             Windows 11 和已更新的 Windows 10 自带它。\n\n\
             命令行（pufa-cli.exe）不需要它，可以照常使用。\n\n详细信息：{error}"
        )
    } else {
        format!("普法活动规划与台账的窗口无法启动。\n\n详细信息：{error}\n\n数据文件夹的 logs 里有记录。")
    }
}

/// Tells the user that the window could not start: a message box on Windows (a release build
/// has no console), stderr elsewhere.
pub fn window_failed(error: &str) {
    let text = window_failed_text(error);
    eprintln!("{text}");
    #[cfg(windows)]
    message_box("普法活动规划与台账", &text);
}

#[cfg(windows)]
fn message_box(title: &str, text: &str) {
    use windows_sys::Win32::UI::WindowsAndMessaging::{MessageBoxW, MB_ICONERROR, MB_OK};
    let wide = |s: &str| s.encode_utf16().chain([0]).collect::<Vec<u16>>();
    let (title, text) = (wide(title), wide(text));
    #[allow(unsafe_code)]
    // SAFETY: both pointers are to NUL-terminated UTF-16 buffers that outlive the call.
    unsafe {
        MessageBoxW(
            std::ptr::null_mut(),
            text.as_ptr(),
            title.as_ptr(),
            MB_OK | MB_ICONERROR,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_webview2_is_explained_in_chinese() {
        let text =
            window_failed_text("WebView2Error(WindowsError(Error { code: HRESULT(0x80070002) }))");
        assert!(text.contains("WebView2 运行时"), "{text}");
        assert!(text.contains("pufa-cli.exe"), "{text}");
        let other = window_failed_text("something else");
        assert!(
            other.contains("无法启动") && !other.contains("WebView2"),
            "{other}"
        );
    }
}
