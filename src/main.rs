//! The `specwatch` binary: everything lives in the library; this is the process edge.

fn main() {
    std::process::exit(specwatch::cli::main());
}
