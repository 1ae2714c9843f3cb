#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| smslens_fuzz::gzip_input(data));
