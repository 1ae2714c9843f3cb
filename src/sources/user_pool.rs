//! `aws cognito-idp describe-user-pool` (formats.md §7.4): how the pool sends texts (SNS, in which region,
//! or End User Messaging directly), its SMS configuration failures (`SNSSandbox`, ...), MFA, and its own
//! region and account (from `Arn`).

use serde_json::Value;

use super::documents;
use super::head::Head;
use super::open::Content;
use super::Source;
use crate::domain::aws::region_and_account;
use crate::frame::{Loc, Sink, SkipReason};
use crate::record::metric::{SmsPath, UserPool};

pub struct UserPoolSettings;

impl Source for UserPoolSettings {
    fn sniff(&self, head: &Head<'_>) -> Option<&'static str> {
        (head.is_object()
            && head.has_key("UserPool")
            && [
                "SmsConfiguration",
                "MfaConfiguration",
                "SmsConfigurationFailure",
                "Arn",
            ]
            .iter()
            .any(|k| head.has_key(k)))
        .then_some("cognito-user-pool")
    }

    fn read(&self, content: Content, sink: &mut Sink<'_, '_>) {
        let data = content.read_all(sink);
        let end = documents::each(
            data.as_slice(),
            |doc: Result<Value, String>, offset| match doc
                .ok()
                .as_ref()
                .and_then(|d| d.get("UserPool"))
                .map(parse)
            {
                Some(pool) => sink.user_pool(pool),
                None => sink.skip(
                    SkipReason::NotARecord,
                    Loc::Byte(offset),
                    "no UserPool object",
                ),
            },
        );
        if let Some((reason, loc, detail)) = end {
            sink.skip(reason, loc, detail);
        }
    }
}

fn text(v: Option<&Value>) -> Option<String> {
    v.and_then(Value::as_str).map(str::to_owned)
}

pub fn parse(pool: &Value) -> UserPool {
    let arn = text(pool.get("Arn")).unwrap_or_default();
    let (region, account) = region_and_account(&arn);
    let sms = pool.get("SmsConfiguration");
    let sms_path = sms.map(|c| match c.get("EumsSms") {
        Some(e) => SmsPath::EndUserMessaging {
            configuration_set: text(e.get("ConfigurationSetName")),
        },
        None => SmsPath::Sns {
            sns_region: text(c.get("SnsRegion")),
        },
    });
    let sms_failures = text(pool.get("SmsConfigurationFailure"))
        .map(|f| {
            f.split(',')
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default();
    UserPool {
        id: text(pool.get("Id")),
        region: region.map(str::to_owned),
        account: account.map(str::to_owned),
        sms_path,
        sms_failures,
        mfa: text(pool.get("MfaConfiguration")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_sms_paths_and_the_failures() {
        let v: Value = serde_json::from_str(r#"{"UserPool":{"Id":"us-east-1_EXAMPLE","Arn":"arn:aws:cognito-idp:us-east-1:111122223333:userpool/us-east-1_EXAMPLE","MfaConfiguration":"ON","SmsConfiguration":{"SnsCallerArn":"arn:aws:iam::111122223333:role/sms","ExternalId":"x","SnsRegion":"us-west-2"},"SmsConfigurationFailure":"SNSSandbox, InvalidSmsRoleAccessPolicyException"}}"#).unwrap();
        let p = parse(&v["UserPool"]);
        assert_eq!(
            (p.region.as_deref(), p.account.as_deref()),
            (Some("us-east-1"), Some("111122223333"))
        );
        assert_eq!(
            p.sms_path,
            Some(SmsPath::Sns {
                sns_region: Some("us-west-2".into())
            })
        );
        assert_eq!(
            p.sms_failures,
            vec!["SNSSandbox", "InvalidSmsRoleAccessPolicyException"]
        );
        let v: Value = serde_json::from_str(r#"{"UserPool":{"Id":"p","SmsConfiguration":{"EumsSms":{"CallerArn":"arn:aws:iam::1:role/r","ConfigurationSetName":"otp"}}}}"#).unwrap();
        assert_eq!(
            parse(&v["UserPool"]).sms_path,
            Some(SmsPath::EndUserMessaging {
                configuration_set: Some("otp".into())
            })
        );
    }
}
