//! The `aws-logs-write-test` object of a CloudWatch Logs export to S3 (formats.md §2): a permission check
//! beside the task folders, not logs. Recognised so that it is said, not counted as malformed.

use super::head::Head;
use super::open::Content;
use super::Source;
use crate::frame::{Loc, Sink, SkipReason};

pub struct WriteTest;

impl Source for WriteTest {
    fn sniff(&self, head: &Head<'_>) -> Option<&'static str> {
        head.text
            .starts_with(b"Permission Check Successful")
            .then_some("s3-export-write-test")
    }

    fn read(&self, _: Content, sink: &mut Sink<'_, '_>) {
        sink.skip(
            SkipReason::WriteTest,
            Loc::File,
            "permission-check object, not logs",
        );
    }
}
