#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| exdesk_core::fuzzing::record_json(data));
