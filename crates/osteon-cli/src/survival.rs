//! `osteon survival` (placeholder, being written).

/// Arguments of `osteon survival`.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Runs `osteon survival`.
pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("osteon survival is not implemented yet")
}
