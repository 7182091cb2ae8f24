//! `osteon compare` (placeholder, being written).

/// Arguments of `osteon compare`.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Runs `osteon compare`.
pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("osteon compare is not implemented yet")
}
