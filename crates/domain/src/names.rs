//! Resource names: `authorities/{code}`, `authorities/{code}/referrals/{id}`,
//! `authorities/{code}/cases/{id}`, `authorities/{code}/cases/{id}/meetings/{id}`,
//! `authorities/{code}/panels/{panel}`, `authorities/{code}/panels/{panel}/sittings/{date}` and
//! `authorities/{code}/panels/{panel}/items/{id}`.

use crate::Violations;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorityName {
    pub authority: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralName {
    pub authority: String,
    pub id: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseName {
    pub authority: String,
    pub id: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingName {
    pub authority: String,
    pub case_id: String,
    pub id: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PanelName {
    pub authority: String,
    pub panel: String,
}

/// A panel's sitting: its date is "YYYY-MM-DD", checked by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SittingName {
    pub authority: String,
    pub panel: String,
    pub date: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaItemName {
    pub authority: String,
    pub panel: String,
    pub id: String,
}

fn segments(name: &str) -> Vec<&str> {
    name.split('/').collect()
}

fn valid_segment(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn bad(field: &str, expected: &str, name: &str) -> Violations {
    Violations::one(
        field,
        format!("{name:?} is not a resource name of the form {expected}"),
    )
}

pub fn parse_authority(field: &str, name: &str) -> Result<AuthorityName, Violations> {
    match segments(name).as_slice() {
        ["authorities", code] if valid_segment(code) => Ok(AuthorityName {
            authority: (*code).into(),
        }),
        _ => Err(bad(field, "authorities/{code}", name)),
    }
}

pub fn parse_referral(field: &str, name: &str) -> Result<ReferralName, Violations> {
    match segments(name).as_slice() {
        ["authorities", code, "referrals", id] if valid_segment(code) && valid_segment(id) => {
            Ok(ReferralName {
                authority: (*code).into(),
                id: (*id).into(),
            })
        }
        _ => Err(bad(field, "authorities/{code}/referrals/{id}", name)),
    }
}

pub fn parse_case(field: &str, name: &str) -> Result<CaseName, Violations> {
    match segments(name).as_slice() {
        ["authorities", code, "cases", id] if valid_segment(code) && valid_segment(id) => {
            Ok(CaseName {
                authority: (*code).into(),
                id: (*id).into(),
            })
        }
        _ => Err(bad(field, "authorities/{code}/cases/{id}", name)),
    }
}

pub fn parse_meeting(field: &str, name: &str) -> Result<MeetingName, Violations> {
    match segments(name).as_slice() {
        ["authorities", code, "cases", case_id, "meetings", id]
            if valid_segment(code) && valid_segment(case_id) && valid_segment(id) =>
        {
            Ok(MeetingName {
                authority: (*code).into(),
                case_id: (*case_id).into(),
                id: (*id).into(),
            })
        }
        _ => Err(bad(
            field,
            "authorities/{code}/cases/{case}/meetings/{id}",
            name,
        )),
    }
}

pub fn parse_panel(field: &str, name: &str) -> Result<PanelName, Violations> {
    match segments(name).as_slice() {
        ["authorities", code, "panels", panel] if valid_segment(code) && valid_segment(panel) => {
            Ok(PanelName {
                authority: (*code).into(),
                panel: (*panel).into(),
            })
        }
        _ => Err(bad(field, "authorities/{code}/panels/{panel}", name)),
    }
}

pub fn parse_sitting(field: &str, name: &str) -> Result<SittingName, Violations> {
    match segments(name).as_slice() {
        ["authorities", code, "panels", panel, "sittings", date]
            if valid_segment(code) && valid_segment(panel) && valid_segment(date) =>
        {
            Ok(SittingName {
                authority: (*code).into(),
                panel: (*panel).into(),
                date: (*date).into(),
            })
        }
        _ => Err(bad(
            field,
            "authorities/{code}/panels/{panel}/sittings/{YYYY-MM-DD}",
            name,
        )),
    }
}

pub fn parse_agenda_item(field: &str, name: &str) -> Result<AgendaItemName, Violations> {
    match segments(name).as_slice() {
        ["authorities", code, "panels", panel, "items", id]
            if valid_segment(code) && valid_segment(panel) && valid_segment(id) =>
        {
            Ok(AgendaItemName {
                authority: (*code).into(),
                panel: (*panel).into(),
                id: (*id).into(),
            })
        }
        _ => Err(bad(
            field,
            "authorities/{code}/panels/{panel}/items/{id}",
            name,
        )),
    }
}

pub fn panel(code: &str, panel: &str) -> String {
    format!("authorities/{code}/panels/{panel}")
}

pub fn sitting(code: &str, panel: &str, date: &str) -> String {
    format!("authorities/{code}/panels/{panel}/sittings/{date}")
}

pub fn agenda_item(code: &str, panel: &str, id: &str) -> String {
    format!("authorities/{code}/panels/{panel}/items/{id}")
}

pub fn authority(code: &str) -> String {
    format!("authorities/{code}")
}

pub fn referral(code: &str, id: &str) -> String {
    format!("authorities/{code}/referrals/{id}")
}

pub fn case(code: &str, id: &str) -> String {
    format!("authorities/{code}/cases/{id}")
}

pub fn meeting(code: &str, case_id: &str, id: &str) -> String {
    format!("authorities/{code}/cases/{case_id}/meetings/{id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let n = parse_meeting("name", &meeting("E10000034", "c1", "m-2")).unwrap();
        assert_eq!(
            (n.authority.as_str(), n.case_id.as_str(), n.id.as_str()),
            ("E10000034", "c1", "m-2")
        );
        assert_eq!(parse_case("name", &case("W06000010", "x")).unwrap().id, "x");
        assert_eq!(
            parse_authority("parent", "authorities/E08000032")
                .unwrap()
                .authority,
            "E08000032"
        );
    }

    #[test]
    fn rejects_malformed_names_naming_the_field() {
        for bad in [
            "",
            "authorities/",
            "cases/x",
            "authorities/E1/cases/",
            "authorities/E1/cases/a/b",
            "authorities/E1/cases/../x",
        ] {
            let err = parse_case("name", bad).unwrap_err();
            assert_eq!(err.0[0].field, "name", "{bad}");
        }
    }
}
