//! `osteon reference-flags` (placeholder, being written).

/// Arguments of `osteon reference-flags`.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Runs `osteon reference-flags`.
pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("osteon reference-flags is not implemented yet")
}
