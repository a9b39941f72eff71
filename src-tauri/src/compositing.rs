//! How the webview draws on Linux. WebKitGTK's accelerated compositing (the page's layers
//! as GL textures, composited into a surface shared with the UI process; llvmpipe where
//! there is no GPU) costs the app and its WebKit processes 80-110 MB at national scale
//! (BENCHMARKS.md) and buys nothing for a page of forms and tables, so the webview draws
//! in software unless `EXDESK_GPU=1` asks for the hardware path.
//!
//! The policy is set once the window exists (Tauri has no hook before the first load),
//! so the web process starts composited and leaves that mode when the setting reaches it.

/// Environment variable that, set to `1`, keeps WebKitGTK's hardware acceleration.
pub const GPU_ENV: &str = "EXDESK_GPU";

/// Whether the user asked for hardware acceleration (`EXDESK_GPU=1`).
pub fn gpu_requested() -> bool {
    std::env::var_os(GPU_ENV).is_some_and(|v| v == "1")
}

/// Sets the webview's hardware acceleration policy: "never" unless [`gpu_requested`].
#[cfg(target_os = "linux")]
pub fn apply<R: tauri::Runtime>(window: &tauri::WebviewWindow<R>) -> tauri::Result<()> {
    use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
    if gpu_requested() {
        return Ok(());
    }
    window.with_webview(|webview| {
        if let Some(settings) = WebViewExt::settings(&webview.inner()) {
            settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
        }
    })
}

#[cfg(not(target_os = "linux"))]
pub fn apply<R: tauri::Runtime>(_window: &tauri::WebviewWindow<R>) -> tauri::Result<()> {
    Ok(())
}
