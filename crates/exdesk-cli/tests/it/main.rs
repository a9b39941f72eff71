//! Integration tests of the `exdesk` command line against spec/cli.md: each test runs the
//! real binary on a temporary database and checks its JSON output and exit codes.

mod catalogue;
mod cli;
mod crash;
mod files;
mod r#gen;
mod harness;
mod output;
mod pdf;
mod records;
mod recover;
mod rules;
mod safety;
mod sync;
mod whole_db;
