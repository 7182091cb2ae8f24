//! `osteon elisa` (placeholder, being written).

/// Arguments of `osteon elisa`.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Runs `osteon elisa`.
pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("osteon elisa is not implemented yet")
}
