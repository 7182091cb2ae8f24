//! Progress bars on stderr for long-running library calls (silenced by
//! `--quiet`), implementing the engine's `Progress` callbacks.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::sync::Mutex;

/// Draws one bar per stage on stderr; notes are printed as `note:` lines.
pub struct StderrProgress {
    quiet: bool,
    bar: Mutex<Option<ProgressBar>>,
}

impl StderrProgress {
    pub fn new(quiet: bool) -> Self {
        Self {
            quiet,
            bar: Mutex::new(None),
        }
    }

    /// Prints a status line (unless quiet).
    pub fn message(&self, text: &str) {
        if !self.quiet {
            self.finish_bar();
            eprintln!("{text}");
        }
    }

    fn finish_bar(&self) {
        if let Some(bar) = self.bar.lock().expect("progress lock").take() {
            bar.finish_and_clear();
        }
    }

    /// Clears any bar left on screen.
    pub fn finish(&self) {
        self.finish_bar();
    }
}

impl osteon_deseq::Progress for StderrProgress {
    fn stage(&self, name: &str, total: usize) {
        if self.quiet {
            return;
        }
        self.finish_bar();
        let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{msg:<36} [{bar:30}] {pos}/{len} ({elapsed})")
                .expect("valid template")
                .progress_chars("=> "),
        );
        bar.set_message(name.to_string());
        *self.bar.lock().expect("progress lock") = Some(bar);
    }

    fn advance(&self, n: usize) {
        if self.quiet {
            return;
        }
        if let Some(bar) = self.bar.lock().expect("progress lock").as_ref() {
            bar.inc(n as u64);
        }
    }

    fn note(&self, message: &str) {
        if !self.quiet {
            if let Some(bar) = self.bar.lock().expect("progress lock").as_ref() {
                bar.suspend(|| eprintln!("note: {message}"));
                return;
            }
            eprintln!("note: {message}");
        }
    }
}
