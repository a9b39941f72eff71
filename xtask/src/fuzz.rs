//! `cargo xtask fuzz [SECONDS]`: runs every cargo-fuzz target in `fuzz/` for SECONDS
//! (default 60) on the stable toolchain (`--sanitizer none`), starting from the committed
//! seeds in `fuzz/corpus/TARGET` (read only: new inputs go to a scratch corpus in the
//! target directory), and prints the executions per target. Installs cargo-fuzz first
//! when it is missing. A crash, panic or hang fails the task; libFuzzer saves the input
//! under `fuzz/artifacts/TARGET/` (add it to the corpus with a fix, so the replay test
//! `fuzz_corpus` keeps checking it).

use crate::cmd;
use crate::error::{Context, Result, bail};
use crate::project::Project;

pub fn fuzz(project: &Project, rest: &[String]) -> Result<()> {
    let seconds: u64 = match rest {
        [] => 60,
        [s] => match s.parse() {
            Ok(n) if n > 0 => n,
            _ => bail!("usage: cargo xtask fuzz [SECONDS] (got `{s}`)"),
        },
        _ => bail!("usage: cargo xtask fuzz [SECONDS]"),
    };
    ensure_cargo_fuzz()?;
    let dir = project.root.join("fuzz");
    let mut targets: Vec<String> = std::fs::read_dir(dir.join("fuzz_targets"))
        .context(|| format!("cannot read {}", dir.join("fuzz_targets").display()))?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            e.file_name()
                .to_str()
                .and_then(|n| n.strip_suffix(".rs"))
                .map(str::to_owned)
        })
        .collect();
    targets.sort();
    let target_dir = project.target_dir.join("fuzz");
    let mut summary = Vec::new();
    let mut failed = Vec::new();
    for target in &targets {
        let scratch = project.scratch("fuzz-corpus").join(target);
        std::fs::create_dir_all(&scratch)
            .context(|| format!("cannot create {}", scratch.display()))?;
        let mut run = cmd::cargo();
        run.current_dir(&dir)
            .env("CARGO_TARGET_DIR", &target_dir)
            .args(["fuzz", "run", "--sanitizer", "none", target])
            .arg(&scratch)
            .arg(format!("corpus/{target}"))
            .args([
                "--".to_owned(),
                format!("-max_total_time={seconds}"),
                "-timeout=10".to_owned(),
                "-rss_limit_mb=4096".to_owned(),
                "-print_final_stats=1".to_owned(),
            ]);
        let line = cmd::shell_line(&run);
        println!("$ {line}");
        let output = run.output().context(|| format!("cannot start `{line}`"))?;
        let log = String::from_utf8_lossy(&output.stderr);
        let stat = |name: &str| -> String {
            log.lines()
                .find_map(|l| l.strip_prefix(&format!("stat::{name}:")))
                .map(|v| v.trim().to_owned())
                .unwrap_or_else(|| "?".into())
        };
        let execs = stat("number_of_executed_units");
        let per_second = stat("average_exec_per_sec");
        if output.status.success() {
            summary.push(format!(
                "{target:<14} {execs:>10} executions ({per_second}/s), no crash"
            ));
        } else {
            let tail: Vec<&str> = log.lines().rev().take(30).collect();
            let tail: Vec<&str> = tail.into_iter().rev().collect();
            eprintln!("{}", tail.join("\n"));
            summary.push(format!(
                "{target:<14} {execs:>10} executions: FAILED ({}); the input is in fuzz/artifacts/{target}/",
                output.status
            ));
            failed.push(target.clone());
        }
    }
    println!("\nfuzzing, {seconds} s per target:");
    for line in &summary {
        println!("  {line}");
    }
    if !failed.is_empty() {
        bail!("fuzz targets found crashes: {}", failed.join(", "));
    }
    Ok(())
}

/// Installs cargo-fuzz from crates.io when `cargo fuzz` is not there.
fn ensure_cargo_fuzz() -> Result<()> {
    let present = cmd::cargo()
        .args(["fuzz", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !present {
        cmd::run(cmd::cargo().args(["install", "cargo-fuzz", "--locked"]))?;
    }
    Ok(())
}
