//! `osteon qpcr` (placeholder, being written).

/// Arguments of `osteon qpcr`.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Runs `osteon qpcr`.
pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("osteon qpcr is not implemented yet")
}
