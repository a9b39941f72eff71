//! The `exchange-desk` binary: starts the desktop app (see the library for everything else).

// No console window next to the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    exchange_desk_lib::run();
}
