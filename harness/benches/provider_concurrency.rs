//! Placeholder replaced by the provider work (issue #3): measures throughput against the mock API.
fn main() {}
