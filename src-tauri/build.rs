fn main() {
    // tauri.conf.json sits at the repository root; the capabilities live under src-tauri/.
    let attrs =
        tauri_build::Attributes::new().capabilities_path_pattern("./src-tauri/capabilities/**/*");
    tauri_build::try_build(attrs).expect("failed to run the Tauri build script");
}
