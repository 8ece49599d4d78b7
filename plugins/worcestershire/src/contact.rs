//! Who to contact, for what, how and when.
//!
//! The route depends on the purpose, how urgent the caller says it is and what they know of the
//! child's history:
//!
//! - an emergency: the Police on 999;
//! - new information about a case allocated to a social worker (open at level 4): the allocated
//!   social worker, without delay (Appendix 2);
//! - a safeguarding concern on a case open to EIFS or TFS (level 2 or 3): an immediate child
//!   protection concern to the Family Front Door by telephone, otherwise a discussion with the
//!   allocated TFS Team Leader / EIFS Coordinator (Appendix 6); an early help request for such a
//!   family is an escalation of need and goes the same way (Appendix 3);
//! - a new safeguarding concern: urgent (or urgency not said), the Family Front Door by telephone
//!   first, then the online form; not urgent, the online form (Appendices 2, 3 and 6);
//! - advice: the Family Front Door by telephone; an early help request: the online form.
//!
//! Outside the Family Front Door's working hours (bank holidays included) an urgent referral is
//! given the out-of-hours line, which is "emergency only" (see the conflicts).

use continuum_plugin_api::pb::{
    Channel, ContactAnswer, ContactPoint, ContactPurpose, ContactRequest, RuleOutcome, Urgency,
};
use continuum_plugin_api::{PluginError, facts, rule, time};

use crate::describe::{
    AGE_QUOTE, ALLOCATED_CASE_QUOTE, APP3_EMERGENCY_QUOTE, APP3_NOT_IMMEDIATE_QUOTE, EH_REQUEST,
    ESCALATION_OF_NEED_QUOTE, FFD, FFD_HOURS_QUOTE, FFD_OOH, MAX_RANK, ONLINE_REFERRAL_QUOTE,
    OOH_EMERGENCY_ONLY_QUOTE, OOH_QUOTE, OPEN_CASE_IMMEDIATE_QUOTE, OPEN_CASE_NOT_IMMEDIATE_QUOTE,
    PHONE_FIRST_QUOTE, POLICE, SOCIAL_WORKER, TFS_EIFS_MANAGER, age_range, contact_point,
    ffd_hours, rank_of,
};
use crate::source::*;
use crate::threshold::validate_age;

/// The instruction for an urgent referral: telephone first, then the form (Appendix 6).
pub(crate) const PHONE_FIRST: &str = "Telephone call first and follow up online social care referral with the on line children's referral form which can be found on the Worcestershire County Council Website: www.worcestershire.gov.uk/areyouworriedaboutachild";
/// The instruction for a referral that is not urgent: the online form (Appendix 2).
pub(crate) const ONLINE_REFERRAL: &str = "To access the online referral to Children's Social Care: www.worcestershire.gov.uk/areyouworriedaboutachild";
/// The instruction for new information about an allocated case (Appendix 2).
pub(crate) const TO_THE_SOCIAL_WORKER: &str =
    "New information about an allocated case should be passed to the social worker without delay";
/// The instruction for a concern on an open EIFS / TFS case that is not immediate (Appendix 6).
pub(crate) const TO_THE_TFS_EIFS_MANAGER: &str = "Discuss concerns with allocated TFS Team Leader/ EIFS Coordinator who have line management responsibilities (not lead worker as this is an escalation of risk)";
/// The instruction for an immediate child protection concern on an open EIFS / TFS case
/// (Appendix 6).
pub(crate) const OPEN_CASE_IMMEDIATE: &str = "Discuss with your line manager/safeguarding lead if immediate child protection refer to children's social care as per LSCB procedures (telephone number: 01905 822666 or out of office hours emergency only 01905 768020). Telephone call first and follow up online social care referral with the on line children's referral form";

/// What the caller knows of the child's case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Case {
    /// Nothing known, no open case, or a closed one: a new concern.
    New { closed: bool },
    /// Open, at an unknown level.
    OpenLevelUnknown,
    /// Open at level 2 or 3: EIFS or TFS (Appendix 6).
    OpenEarlyHelp(u32),
    /// Open at level 4: allocated to a social worker (Appendix 2).
    Allocated,
    /// Open at level 1: no service case (universal services).
    OpenUniversal,
}

fn case_of(request: &ContactRequest) -> Result<Case, PluginError> {
    let Some(h) = &request.history else {
        return Ok(Case::New { closed: false });
    };
    if !h.open_case {
        return Ok(Case::New {
            closed: h.closed_case,
        });
    }
    if h.open_level.is_empty() {
        return Ok(Case::OpenLevelUnknown);
    }
    match rank_of(&h.open_level) {
        None => Err(PluginError::invalid(
            "history.open_level",
            format!("{:?} is not a Worcestershire level (L1-L4)", h.open_level),
        )),
        Some(MAX_RANK) => Ok(Case::Allocated),
        Some(rank @ (2 | 3)) => Ok(Case::OpenEarlyHelp(rank)),
        Some(_) => Ok(Case::OpenUniversal),
    }
}

pub(crate) fn route(request: &ContactRequest) -> Result<ContactAnswer, PluginError> {
    let purpose = match ContactPurpose::try_from(request.purpose) {
        Ok(ContactPurpose::Unspecified) => {
            return Err(PluginError::invalid(
                "purpose",
                "unspecified: say what the contact is for",
            ));
        }
        Ok(p) => p,
        Err(_) => {
            return Err(PluginError::invalid(
                "purpose",
                format!("{} is not a contact purpose", request.purpose),
            ));
        }
    };
    let urgency = Urgency::try_from(request.urgency).map_err(|_| {
        PluginError::invalid("urgency", format!("{} is not an urgency", request.urgency))
    })?;
    let at = time::parse_date_time("local_time", &request.local_time)?;
    // Bank holidays and local closures near the request's date, from the host's calendar.
    let closed = time::ClosedDates::of(request, at)?;
    let closed_today = closed.contains(at.date());
    let case = case_of(request)?;
    let age = validate_age(request.age.as_ref(), "age")?;
    // Urgent unless the caller says it is not (see the gap "Urgency not said").
    let urgent = urgency != Urgency::NotUrgent;

    let mut reasons = Vec::new();
    let (contact, channel, instruction) = match (purpose, case) {
        (ContactPurpose::Emergency, _) => {
            reasons.push(rule(
                "WOR-CONTACT-EMERGENCY",
                "Emergency: dial 999 (Police), then refer to Children's Social Care via the Family \
                 Front Door (01905 822666, out of hours 01905 768020).",
                c(
                    S_APP3,
                    "If you believe that a child or young person is at immediate risk of harm, contact the Police on 999.",
                ),
            ));
            (POLICE, Channel::Phone, "In an emergency always dial 999")
        }
        (
            ContactPurpose::SafeguardingReferral | ContactPurpose::EarlyHelpRequest,
            Case::Allocated,
        ) => {
            reasons.push(rule(
                "WOR-CONTACT-ALLOCATED-CASE",
                "The child's case is open at level 4, allocated to a social worker: new \
                 information about an allocated case is passed to the social worker without \
                 delay, not referred again. The text gives no number for the social worker: use \
                 their own contact details.",
                c(S_APP2, ALLOCATED_CASE_QUOTE),
            ));
            (SOCIAL_WORKER, Channel::Other, TO_THE_SOCIAL_WORKER)
        }
        (ContactPurpose::SafeguardingReferral, Case::OpenEarlyHelp(rank)) if urgent => {
            reasons.push(rule(
                "WOR-CONTACT-OPEN-EARLY-HELP-CASE-IMMEDIATE",
                format!(
                    "The child's case is open at level {rank} ({}) and the concern is urgent, read \
                     as an immediate child protection concern: discuss it with your line manager \
                     / safeguarding lead and refer to children's social care by telephoning the \
                     Family Front Door first (out of office hours, emergency only, 01905 768020), \
                     then follow up with the online referral form.",
                    team_of(rank)
                ),
                c(S_APP6, OPEN_CASE_IMMEDIATE_QUOTE),
            ));
            (FFD, Channel::Phone, OPEN_CASE_IMMEDIATE)
        }
        (ContactPurpose::SafeguardingReferral, Case::OpenEarlyHelp(rank)) => {
            reasons.push(rule(
                "WOR-CONTACT-OPEN-EARLY-HELP-CASE",
                format!(
                    "The child's case is open at level {rank} ({}) and the concern is not urgent, \
                     so not an immediate child protection concern: discuss it with the allocated \
                     TFS Team Leader / EIFS Coordinator, who has line management \
                     responsibilities, not the lead worker. They decide whether it is possibly \
                     level 4 (you then make the referral) or the case remains at its level (an \
                     Early Help multi agency meeting within three days).",
                    team_of(rank)
                ),
                c(S_APP6, OPEN_CASE_NOT_IMMEDIATE_QUOTE),
            ));
            (TFS_EIFS_MANAGER, Channel::Other, TO_THE_TFS_EIFS_MANAGER)
        }
        (ContactPurpose::EarlyHelpRequest, Case::OpenEarlyHelp(rank)) => {
            reasons.push(rule(
                "WOR-CONTACT-ESCALATION-OF-NEED",
                format!(
                    "The family already receives support at level {rank} ({}): a further need is \
                     an escalation of need, for the Appendix 6 process, not a new request. Discuss \
                     the concerns with the allocated TFS Team Leader / EIFS Coordinator (an \
                     immediate child protection concern is a safeguarding referral instead).",
                    team_of(rank)
                ),
                c(S_APP3, ESCALATION_OF_NEED_QUOTE),
            ));
            (TFS_EIFS_MANAGER, Channel::Other, TO_THE_TFS_EIFS_MANAGER)
        }
        (ContactPurpose::SafeguardingReferral, _) => {
            reasons.push(rule(
                "WOR-CONTACT-SAFEGUARDING",
                "A new safeguarding concern, or a child needing specialist support from \
                 children's social care: contact the Family Front Door.",
                c(
                    S_APP2,
                    "If you have a new safeguarding concern regarding a child or young person, or consider that a child is in need of specialist support from children's social care in line with this guidance",
                ),
            ));
            history_reasons(case, &mut reasons);
            if urgent {
                reasons.push(rule(
                    "WOR-CONTACT-URGENT-PHONE",
                    format!(
                        "{}: telephone the Family Front Door first (out of hours 01905 768020), \
                         then follow up with the online referral form. The text gives no time \
                         for the follow-up, so none is set.",
                        if urgency == Urgency::Urgent {
                            "Urgent"
                        } else {
                            "Urgency not said, so treated as urgent"
                        }
                    ),
                    c(S_APP3, APP3_EMERGENCY_QUOTE),
                ));
                reasons.push(rule(
                    "WOR-CONTACT-PHONE-FIRST",
                    "Telephone call first, then follow up with the online Children's Social Care \
                     Referral Form.",
                    c(S_APP6, PHONE_FIRST_QUOTE),
                ));
                (FFD, Channel::Phone, PHONE_FIRST)
            } else {
                reasons.push(rule(
                    "WOR-CONTACT-NOT-URGENT-FORM",
                    "Not urgent, so not an immediate concern: raise it with the online referral \
                     to Children's Social Care (www.worcestershire.gov.uk/areyouworriedaboutachild), \
                     which the Family Front Door receives.",
                    c(S_APP3, APP3_NOT_IMMEDIATE_QUOTE),
                ));
                reasons.push(rule(
                    "WOR-CONTACT-ONLINE-REFERRAL",
                    "The online referral to Children's Social Care: \
                     www.worcestershire.gov.uk/areyouworriedaboutachild.",
                    c(S_APP2, ONLINE_REFERRAL_QUOTE),
                ));
                (FFD, Channel::WebForm, ONLINE_REFERRAL)
            }
        }
        (ContactPurpose::Advice, _) => {
            reasons.push(rule(
                "WOR-CONTACT-ADVICE",
                "Advice: the Family Front Door is a point of referral and advice (it does not \
                 collect intelligence); telephone it during working hours. The text gives no \
                 number for the Community Social Worker or the local EIFS / TFS teams.",
                c(
                    S_APP2,
                    "Please note: The Family Front Door act as points of referral and advice.",
                ),
            ));
            (FFD, Channel::Phone, "")
        }
        (ContactPurpose::EarlyHelpRequest, _) => {
            reasons.push(rule(
                "WOR-CONTACT-EARLY-HELP",
                "An additional level 2 or 3 need not met by the professional or any other \
                 service: request Early Help Family Support with the online form at \
                 www.worcestershire.gov.uk/requestfamilysupport (it can be submitted at any time). \
                 A child at risk of significant harm is referred to the Family Front Door instead.",
                c(
                    S_APP3,
                    "Request services from Early Help Family Support by completing an online form at:",
                ),
            ));
            history_reasons(case, &mut reasons);
            (EH_REQUEST, Channel::WebForm, "")
        }
        (ContactPurpose::Unspecified, _) => {
            return Err(PluginError::invalid("purpose", "unspecified"));
        }
    };
    let contact: ContactPoint = contact_point(contact);

    if let Some(age) = age
        && !facts::serves(&age_range(), age)
    {
        reasons.push(rule(
            "WOR-CONTACT-AGE",
            "The child is beyond the plugin's age range (to 17; the text says only \"through to \
             the teenage years\"): the route is given, but use professional judgement.",
            c(S_EARLY_HELP, AGE_QUOTE),
        ));
    }

    let open_now = contact.always_open || time::is_open(&contact.hours, at, &closed);
    let ffd_open = time::is_open(&ffd_hours(), at, &closed);
    let mut next_opening = String::new();
    let mut out_of_hours = None;
    if !open_now {
        let next = time::next_opening(&contact.hours, at, &closed).ok_or_else(|| {
            PluginError::Failed(format!(
                "{} has no opening in the next two weeks",
                contact.code
            ))
        })?;
        next_opening = time::format_date_time(next);
        reasons.push(rule(
            "WOR-FFD-HOURS",
            format!(
                "The Family Front Door is closed at {} (working hours 9.00am-5.00pm Monday to \
                 Thursday, 9.00am-4.30pm Friday{}); it next opens {next_opening}.",
                time::format_date_time(at),
                if closed_today {
                    "; today is a bank holiday or local closure, which is not a working day"
                } else {
                    ""
                }
            ),
            c(S_APP2, FFD_HOURS_QUOTE),
        ));
    }
    if !ffd_open && contact.code != POLICE {
        if urgent && purpose == ContactPurpose::SafeguardingReferral {
            reasons.push(rule(
                "WOR-CONTACT-OUT-OF-HOURS",
                format!(
                    "Out of hours or at weekends{}: call 01905 768020 (out of office hours \
                     emergency only){}.",
                    if closed_today {
                        ", and on a bank holiday (not a working day)"
                    } else {
                        ""
                    },
                    if contact.code == SOCIAL_WORKER {
                        " if the new information about the allocated case cannot wait for the \
                         social worker"
                    } else {
                        ""
                    }
                ),
                c(S_APP2, OOH_QUOTE),
            ));
            out_of_hours = Some(contact_point(FFD_OOH));
        } else if contact.code == FFD {
            reasons.push(rule(
                "WOR-CONTACT-OUT-OF-HOURS-EMERGENCY-ONLY",
                if purpose == ContactPurpose::Advice {
                    "The out-of-hours number (01905 768020) is for emergencies only, so none is \
                     offered for advice: call back when the Family Front Door opens, or route an \
                     urgent child protection concern as a safeguarding referral (or 999 in an \
                     emergency)."
                } else {
                    "The out-of-hours number (01905 768020) is for emergencies only, so none is \
                     offered for a concern that is not urgent: submit the online referral form, \
                     which the Family Front Door reads when it opens (or call 01905 768020 if the \
                     concern becomes urgent, 999 in an emergency)."
                },
                c(S_APP6, OOH_EMERGENCY_ONLY_QUOTE),
            ));
        }
    }

    Ok(ContactAnswer {
        contact: Some(contact),
        open_now,
        next_opening,
        out_of_hours,
        emergency: Some(contact_point(POLICE)),
        reasons,
        channel: channel as i32,
        instruction: instruction.to_owned(),
        // The text gives no time for the written follow-up of a telephone referral (see the
        // gap "Written follow-up of a telephone referral: timescale").
        follow_ups: Vec::new(),
    })
}

/// The early help team working at a level.
fn team_of(rank: u32) -> &'static str {
    if rank == 2 {
        "Early Intervention Family Support"
    } else {
        "Targeted Family Support"
    }
}

/// What a known history adds to a new concern's route.
fn history_reasons(case: Case, reasons: &mut Vec<RuleOutcome>) {
    match case {
        Case::New { closed: true } => reasons.push(rule(
            "WOR-CONTACT-CLOSED-CASE",
            "The child's earlier case is closed: the text says nothing of closed cases, so the \
             concern is routed as a new one.",
            c(
                S_APP2,
                "If you have a new safeguarding concern regarding a child or young person",
            ),
        )),
        Case::OpenLevelUnknown => reasons.push(rule(
            "WOR-CONTACT-OPEN-CASE-LEVEL-UNKNOWN",
            "The child has an open case at a level not given: routed as a new concern. If the \
             case is allocated to a social worker, pass the new information to them without \
             delay; if it is open to TFS or EIFS, follow Appendix 6.",
            c(S_APP2, ALLOCATED_CASE_QUOTE),
        )),
        Case::OpenUniversal => reasons.push(rule(
            "WOR-CONTACT-OPEN-CASE-LEVEL-1",
            "The child's case is at level 1 (universal services): no early help or social care \
             case is open, so the concern is routed as a new one.",
            c(
                S_LEVELS,
                "Level 1 represents children with no identified additional needs.",
            ),
        )),
        _ => {}
    }
}
