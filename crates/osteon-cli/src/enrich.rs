//! `osteon enrich` (placeholder, being written).

/// Arguments of `osteon enrich`.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Runs `osteon enrich`.
pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("osteon enrich is not implemented yet")
}
