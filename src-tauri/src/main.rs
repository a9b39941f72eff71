//! The `exchange-desk` binary: starts the desktop app (see the library for everything else).

// No console window next to the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

/// mimalloc instead of glibc's allocator, as in the CLI: an import allocates each row's
/// values on one thread and frees them on another, which glibc serialises on its arena locks.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    exchange_desk_lib::run();
}
