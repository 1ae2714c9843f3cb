//! Where a record was logged: AWS region and account, from what the data shows (formats.md §7.5): log group
//! names (`sns/us-east-1/111122223333/DirectPublishToPhoneNumber`), ARNs (`arn:aws:sns:us-east-1:1111…:t`),
//! EventBridge's own fields, and folder names users choose (`…/us-east-1/…`, `SMSUsageReports/eu-west-1/…`).

/// An AWS region name: `us-east-1`, `eu-central-2`, `ap-southeast-4`, `us-gov-west-1`, `cn-north-1`.
pub fn is_region(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let (area, rest) = match parts.as_slice() {
        [area, "gov", rest @ ..] | [area, "iso", rest @ ..] => (*area, rest),
        [area, rest @ ..] => (*area, rest),
        [] => return false,
    };
    let geo = ["us", "eu", "ap", "sa", "ca", "me", "af", "il", "mx", "cn"];
    let dirs = [
        "north",
        "south",
        "east",
        "west",
        "central",
        "northeast",
        "northwest",
        "southeast",
        "southwest",
    ];
    matches!(rest, [dir, n] if dirs.contains(dir) && !n.is_empty() && n.len() <= 2
        && n.bytes().all(|c| c.is_ascii_digit()))
        && geo.contains(&area)
}

/// A 12-digit AWS account id.
pub fn is_account(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|c| c.is_ascii_digit())
}

/// Region and account named by the parts of `text` cut at `/`, `:` and `\`: the first region-shaped part,
/// and the first account-shaped one (each may be absent).
pub fn region_and_account(text: &str) -> (Option<&str>, Option<&str>) {
    let parts = || text.split(['/', ':', '\\']);
    (
        parts().find(|p| is_region(p)),
        parts().find(|p| is_account(p)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_accounts_and_where_they_are_written() {
        for r in [
            "us-east-1",
            "eu-central-2",
            "ap-southeast-4",
            "us-gov-west-1",
            "cn-north-1",
        ] {
            assert!(is_region(r), "{r}");
        }
        for r in [
            "us-east",
            "east-1",
            "us-east-1a",
            "28b3b8ee-14fa-4e21",
            "2026-03-29",
        ] {
            assert!(!is_region(r), "{r}");
        }
        assert_eq!(
            region_and_account("sns/us-east-1/111122223333/DirectPublishToPhoneNumber/Failure"),
            (Some("us-east-1"), Some("111122223333"))
        );
        assert_eq!(
            region_and_account("arn:aws:sns:eu-west-1:444455556666:sms-events"),
            (Some("eu-west-1"), Some("444455556666"))
        );
        assert_eq!(
            region_and_account("bucket/SMSUsageReports/ap-south-1/2026/03/01/001.csv.gz"),
            (Some("ap-south-1"), None)
        );
    }
}
