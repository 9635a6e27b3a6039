//! `specwatch diff --git-driver`: git's external diff driver, so that `git diff`,
//! `git log -p` and `git show` print a spec's semantic changes instead of its text diff.
//!
//! ```sh
//! git config diff.specwatch.command "specwatch diff --git-driver"
//! echo 'openapi.yaml diff=specwatch' >> .gitattributes
//! ```
//!
//! git runs the command with seven arguments: path, old file, old hex, old mode, new
//! file, new hex, new mode (a missing side is `/dev/null`). A side that is not a readable
//! spec falls back to git's own text diff, so the driver never hides a change.

use super::{DiffArgs, EXIT_BAD_INPUT, EXIT_OK, execute};
use crate::diff::output::Format;

/// Prints the driver's output; exits 0 (git stops the whole diff on a non-zero exit).
pub fn run(args: &DiffArgs) -> i32 {
    match render(args, crate::diff::output::text::stdout_wants_color()) {
        Ok(out) => {
            print!("{out}");
            EXIT_OK
        }
        Err(e) => {
            eprintln!("error: {e}");
            EXIT_BAD_INPUT
        }
    }
}

/// The driver's output for git's arguments (`base`, `revision`, then `git_args`).
pub fn render(args: &DiffArgs, color: bool) -> Result<String, String> {
    let mut all = vec![args.base.as_str(), args.revision.as_str()];
    all.extend(args.git_args.iter().map(String::as_str));
    let [path, old, _, _, new, _, _] = all.as_slice() else {
        return Err(format!(
            "--git-driver expects git's seven arguments (path old-file old-hex old-mode new-file new-hex new-mode), got {}",
            all.len()
        ));
    };
    let mut out = format!("specwatch diff a/{path} b/{path}\n");
    if *old == "/dev/null" || *new == "/dev/null" {
        let what = if *old == "/dev/null" {
            "new"
        } else {
            "deleted"
        };
        out.push_str(&format!("{what} file\n"));
        return Ok(out);
    }
    let run = DiffArgs {
        base: old.to_string(),
        revision: new.to_string(),
        format: Some(args.format.unwrap_or(Format::Text)),
        git_driver: false,
        git_args: Vec::new(),
        ..args.clone()
    };
    let outcome = execute(&run, color);
    if outcome.code == EXIT_BAD_INPUT {
        out.push_str(&format!(
            "not diffed semantically: {}text diff:\n",
            outcome.stderr.trim_start_matches("error: ")
        ));
        let text = std::process::Command::new("git")
            .args(["diff", "--no-index", "--no-ext-diff", "--", old, new])
            .output()
            .map_err(|e| format!("cannot run git: {e}"))?;
        out.push_str(&String::from_utf8_lossy(&text.stdout));
        return Ok(out);
    }
    out.push_str(&outcome.stdout);
    Ok(out)
}
