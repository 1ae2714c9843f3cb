use std::process::ExitCode;

fn main() -> ExitCode {
    smslens::frame::allocator::keep_freed_memory();
    match smslens::cli::run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("smslens: error: {e}");
            for cause in e.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            smslens::cli::exit_code_of(&e)
        }
    }
}
