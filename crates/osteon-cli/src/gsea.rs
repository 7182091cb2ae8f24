//! `osteon gsea` (placeholder, being written).

/// Arguments of `osteon gsea`.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Runs `osteon gsea`.
pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("osteon gsea is not implemented yet")
}
