//! `osteon trajectory` (placeholder, being written).

/// Arguments of `osteon trajectory`.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Runs `osteon trajectory`.
pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("osteon trajectory is not implemented yet")
}
