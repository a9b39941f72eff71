//! The Exchange Desk desktop shell: opens the database, creates the main window (which
//! may never leave the bundled UI) and registers the thin commands of [`commands`] over
//! exdesk-core. Everything the app does lives in core; this crate only wires it up.

mod autosync;
mod commands;
mod compositing;
mod state;
mod window_state;

use tauri::plugin::TauriPlugin;
use tauri::webview::NewWindowResponse;
use tauri::{Manager, Url, WebviewWindowBuilder, Wry};

pub use state::{AppState, DB_ENV};

/// Runs the app until its window is closed.
pub fn run() {
    tauri::Builder::default()
        // First, so a second launch stops before opening anything: it focuses the
        // running window instead (no capability: the plugin has no commands).
        .plugin(single_instance())
        // Remembers the main window's size and position between runs (restored when the
        // window is created in `setup`, saved when it closes).
        .plugin(tauri_plugin_window_state::Builder::new().build())
        // The native file dialogs, for choosing where an export goes and which file to
        // import (capability: `dialog:allow-save` and `dialog:allow-open` only).
        .plugin(tauri_plugin_dialog::init())
        .manage(AppState::open())
        .setup(|app| {
            let config = app.config();
            let window = config
                .app
                .windows
                .first()
                .ok_or("tauri.conf.json declares no window")?;
            let dev_url = if cfg!(dev) {
                config.build.dev_url.clone()
            } else {
                None
            };
            let window = WebviewWindowBuilder::from_config(app.handle(), window)?
                .on_navigation(move |url| is_app_url(url, dev_url.as_ref()))
                .on_new_window(|_, _| NewWindowResponse::Deny)
                .build()?;
            compositing::apply(&window)?;
            window_state::save_as_it_changes(&window);
            // Shared-folder sync rounds by themselves, on a thread of their own.
            autosync::start(app.handle());
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::set_onboarding,
            commands::language,
            commands::set_language,
            commands::stats,
            commands::list_records,
            commands::count_by,
            commands::record_names,
            commands::get_record,
            commands::partner_copy_fields,
            commands::add_record,
            commands::update_record,
            commands::delete_record,
            commands::deleted_records,
            commands::recover_record,
            commands::search,
            commands::roster_page,
            commands::deadlines,
            commands::history,
            commands::update_each,
            commands::roster_update,
            commands::roster_columns,
            commands::export_roster,
            commands::validate_record,
            commands::export_calendar,
            commands::export_log,
            commands::e2e_mode,
            commands::import_fields,
            commands::import_file,
            commands::cancel_job,
            commands::merge_people,
            commands::presets,
            commands::save_preset,
            commands::device,
            commands::devices,
            commands::set_device_name,
            commands::sync_export,
            commands::sync_inspect,
            commands::sync_import,
            commands::conflict_page,
            commands::resolve_conflict,
            commands::sync_folder_path,
            commands::set_sync_folder_path,
            commands::unlock,
            commands::startup_check,
            commands::safety_info,
            commands::backup_now,
            commands::set_backup_keep,
            commands::restore_backup,
            commands::newest_good_backup,
            commands::set_passphrase,
            commands::auto_sync_status,
            commands::set_auto_sync,
            commands::sync_now,
        ])
        .run(tauri::generate_context!())
        .expect("the Exchange Desk window could not be started");
}

/// The single-instance plugin: a second launch brings the running window to the front and
/// exits. On Linux (D-Bus) the name includes the database when `$EXDESK_DB` chooses one,
/// so one instance runs per database file (the end-to-end tests run several at once).
fn single_instance() -> TauriPlugin<Wry> {
    let builder = tauri_plugin_single_instance::Builder::new().callback(|app, _args, _cwd| {
        if let Some(window) = app.get_webview_window("main") {
            let _ = window.unminimize();
            let _ = window.show();
            let _ = window.set_focus();
        }
    });
    #[cfg(target_os = "linux")]
    let builder = match std::env::var_os(DB_ENV).filter(|p| !p.is_empty()) {
        Some(db) => builder.dbus_id(dbus_id_for(std::path::Path::new(&db))),
        None => builder,
    };
    builder.build()
}

/// A D-Bus name for one database file: the app's identifier and a hash of the path
/// (elements of letters, digits and `_`, not starting with a digit).
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
fn dbus_id_for(db: &std::path::Path) -> String {
    use std::hash::{Hash, Hasher};
    let path = std::fs::canonicalize(db).unwrap_or_else(|_| db.to_path_buf());
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    path.hash(&mut hasher);
    format!("org.exchangedesk.desktop.db_{:016x}", hasher.finish())
}

/// Whether the webview may show `url`: only the bundled UI (served over the `tauri`
/// scheme, or `http(s)://tauri.localhost` on Windows) or, in a dev build, the dev server.
fn is_app_url(url: &Url, dev_url: Option<&Url>) -> bool {
    match url.scheme() {
        "tauri" => true,
        "http" | "https" => {
            url.host_str() == Some("tauri.localhost")
                || dev_url.is_some_and(|dev| dev.origin() == url.origin())
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn only_the_bundled_ui_is_reachable() {
        assert!(is_app_url(&url("tauri://localhost/index.html"), None));
        assert!(is_app_url(&url("http://tauri.localhost/"), None));
        assert!(!is_app_url(&url("https://example.org/"), None));
        assert!(!is_app_url(&url("file:///etc/passwd"), None));
        assert!(!is_app_url(&url("http://localhost:5173/"), None));
    }

    /// Every command the build script generates a permission for is granted to the
    /// main window (and the capability grants nothing else of the app's own).
    #[test]
    fn the_capability_grants_exactly_the_app_commands() {
        let build = include_str!("../build.rs");
        let list = build
            .split_once(".commands(&[")
            .and_then(|(_, rest)| rest.split_once("])"))
            .map(|(list, _)| list)
            .expect("build.rs lists the commands");
        let commands: Vec<String> = list
            .split(',')
            .map(|s| s.trim().trim_matches('"'))
            .filter(|s| !s.is_empty())
            .map(|s| format!("allow-{}", s.replace('_', "-")))
            .collect();
        let capability: serde_json::Value =
            serde_json::from_str(include_str!("../capabilities/default.json")).unwrap();
        let granted: Vec<String> = capability["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|p| p.as_str())
            .filter(|p| !p.contains(':'))
            .map(str::to_owned)
            .collect();
        assert_eq!(granted, commands);
    }

    #[test]
    fn each_database_gets_its_own_instance_name() {
        let a = dbus_id_for(std::path::Path::new("/tmp/a/exdesk.sqlite3"));
        let b = dbus_id_for(std::path::Path::new("/tmp/b/exdesk.sqlite3"));
        assert_ne!(a, b);
        assert_eq!(
            a,
            dbus_id_for(std::path::Path::new("/tmp/a/exdesk.sqlite3"))
        );
        assert!(a.split('.').all(|part| {
            part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !part.starts_with(|c: char| c.is_ascii_digit())
        }));
    }

    #[test]
    fn a_dev_build_may_load_its_dev_server_only() {
        let dev = url("http://localhost:5173");
        assert!(is_app_url(
            &url("http://localhost:5173/src/main.ts"),
            Some(&dev)
        ));
        assert!(!is_app_url(&url("http://localhost:8080/"), Some(&dev)));
    }
}
