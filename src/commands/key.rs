//! `twofa key generate`: a new master key from the OS CSPRNG, as a line of base64 on stdout
//! (for a secret store: Vault, a KMS, `systemd-creds encrypt`) or in a new file of mode
//! 0600. It opens no database.

use anyhow::Result;

use crate::cli::{KeyGenerateArgs, output_file};
use crate::crypto::{MasterKey, key_id_hex};
use crate::ctx::Ctx;
use crate::exit::{ExitCode, refused};
use crate::keys;

/// `twofa key generate [-o FILE]`.
pub fn generate(ctx: &mut Ctx, args: &KeyGenerateArgs) -> Result<ExitCode> {
    let key = MasterKey::generate()?;
    let id = key_id_hex(&key.id());
    match output_file(&args.output) {
        Some(path) => {
            if keys::is_there(path) {
                return Err(refused(format!(
                    "{} exists; key generate creates a new file and never overwrites one (choose a new path)",
                    path.display()
                )));
            }
            key.write_new_base64(path)?;
            ctx.note(format!(
                "twofa: wrote key {id} to {} (mode 0600)",
                path.display()
            ));
        }
        None => {
            if ctx.out.tty {
                ctx.warn(
                    "the key is shown on this terminal and stays in its scrollback; pipe it into the secret store, or write it with -o FILE",
                );
            }
            ctx.out.line(key.to_base64().as_str())?;
            ctx.out.flush()?;
            ctx.note(format!("twofa: key {id}"));
        }
    }
    Ok(ExitCode::Success)
}
