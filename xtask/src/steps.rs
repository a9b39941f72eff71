//! Named, timed steps: a banner before each, a stop at the first failure, and a summary
//! of what ran and how long it took.

use std::time::{Duration, Instant};

use crate::error::{Error, Result};

pub struct Steps {
    task: &'static str,
    started: Instant,
    done: Vec<Done>,
}

struct Done {
    name: &'static str,
    elapsed: Duration,
    ok: bool,
}

impl Steps {
    pub fn new(task: &'static str) -> Steps {
        Steps {
            task,
            started: Instant::now(),
            done: Vec::new(),
        }
    }

    /// Runs one step. On failure prints the summary and returns an error naming the step.
    pub fn run(&mut self, name: &'static str, step: impl FnOnce() -> Result<()>) -> Result<()> {
        println!("\n==> {} [{}] {name}", self.task, self.done.len() + 1);
        let started = Instant::now();
        let outcome = step();
        self.done.push(Done {
            name,
            elapsed: started.elapsed(),
            ok: outcome.is_ok(),
        });
        if let Err(err) = outcome {
            eprintln!("\nerror in step `{name}`: {err}");
            self.print_summary();
            return Err(Error::new(format!(
                "`cargo xtask {}` failed at step `{name}`",
                self.task
            )));
        }
        Ok(())
    }

    pub fn print_summary(&self) {
        println!("\n==> {} summary", self.task);
        let width = self
            .done
            .iter()
            .map(|d| d.name.len())
            .max()
            .unwrap_or(0)
            .max(5);
        for done in &self.done {
            let status = if done.ok { "ok" } else { "FAILED" };
            println!(
                "  {status:<6}  {:<width$}  {:>7.1}s",
                done.name,
                done.elapsed.as_secs_f64()
            );
        }
        println!(
            "  {:<6}  {:<width$}  {:>7.1}s",
            "",
            "total",
            self.started.elapsed().as_secs_f64()
        );
    }
}
