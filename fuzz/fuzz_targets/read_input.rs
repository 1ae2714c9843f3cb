#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| smslens_fuzz::read_input(data));
