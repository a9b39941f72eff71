//! Build script: Tauri's code generation, with a permission generated for each of the
//! app's own commands so the capability file can grant exactly those.

fn main() {
    let manifest = tauri_build::AppManifest::new().commands(&[
        "app_info",
        "set_onboarding",
        "language",
        "set_language",
        "stats",
        "list_records",
        "get_record",
        "add_record",
        "update_record",
        "delete_record",
        "search",
        "roster",
        "deadlines",
        "history",
        "update_each",
        "roster_columns",
        "export_roster",
        "validate_record",
        "export_calendar",
        "export_log",
        "e2e_mode",
        "import_fields",
        "import_file",
        "cancel_job",
        "merge_people",
        "presets",
        "save_preset",
        "device",
        "devices",
        "set_device_name",
        "sync_export",
        "sync_inspect",
        "sync_import",
        "conflicts",
        "resolve_conflict",
        "sync_folder",
        "sync_folder_path",
        "set_sync_folder_path",
    ]);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("failed to run the Tauri build script");
}
