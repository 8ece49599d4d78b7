//! Who to contact, for what, and when.

use continuum_plugin_api::pb::{ContactAnswer, ContactPoint, ContactPurpose, ContactRequest};
use continuum_plugin_api::{PluginError, rule, time};

use crate::describe::{EH_REQUEST, FFD, FFD_OOH, POLICE, contact_point};
use crate::source::*;

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
    let at = time::parse_date_time("local_time", &request.local_time)?;
    // Bank holidays and local closures near the request's date, from the host's calendar.
    let closed = time::ClosedDates::of(request, at)?;
    let closed_today = closed.contains(at.date());

    let mut reasons = Vec::new();
    let contact: ContactPoint = match purpose {
        ContactPurpose::Emergency => {
            reasons.push(rule(
                "WOR-CONTACT-EMERGENCY",
                "Emergency: dial 999 (Police), then refer to Children's Social Care via the Family \
                 Front Door (01905 822666, out of hours 01905 768020).",
                c(
                    S_APP3,
                    "If you believe that a child or young person is at immediate risk of harm, contact the Police on 999.",
                ),
            ));
            contact_point(POLICE)
        }
        ContactPurpose::SafeguardingReferral => {
            reasons.push(rule(
                "WOR-CONTACT-SAFEGUARDING",
                "A new safeguarding concern, or a child needing specialist support from \
                 children's social care: contact the Family Front Door by telephone, then follow \
                 up with the online referral form. New information about an allocated case goes \
                 to the allocated social worker without delay.",
                c(
                    S_APP2,
                    "If you have a new safeguarding concern regarding a child or young person, or consider that a child is in need of specialist support from children's social care in line with this guidance",
                ),
            ));
            contact_point(FFD)
        }
        ContactPurpose::Advice => {
            reasons.push(rule(
                "WOR-CONTACT-ADVICE",
                "Advice: the Family Front Door is a point of referral and advice (it does not \
                 collect intelligence). The text gives no number for the Community Social Worker \
                 or the local EIFS / TFS teams.",
                c(
                    S_APP2,
                    "Please note: The Family Front Door act as points of referral and advice.",
                ),
            ));
            contact_point(FFD)
        }
        ContactPurpose::EarlyHelpRequest => {
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
            contact_point(EH_REQUEST)
        }
        ContactPurpose::Unspecified => return Err(PluginError::invalid("purpose", "unspecified")),
    };

    let open_now = contact.always_open || time::is_open(&contact.hours, at, &closed);
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
                    "; today is a bank holiday or local closure, treated as out of hours as the \
                     text does not mention bank holidays"
                } else {
                    ""
                }
            ),
            c(
                S_APP2,
                "During the following working hours telephone 01905 822666 ... 9.00am-5.00pm – Monday to Thursday ... 9.00am-4.30pm - Friday",
            ),
        ));
        if purpose == ContactPurpose::SafeguardingReferral {
            reasons.push(rule(
                "WOR-CONTACT-OUT-OF-HOURS",
                "Out of hours or at weekends: call 01905 768020 (out of office hours emergency \
                 only); if the concern is not immediate, use the online referral form.",
                c(S_APP2, "Out of hours or at weekends: 01905 768020"),
            ));
            out_of_hours = Some(contact_point(FFD_OOH));
        } else {
            reasons.push(rule(
                "WOR-CONTACT-OUT-OF-HOURS-EMERGENCY-ONLY",
                "The out-of-hours number (01905 768020) is for emergencies only, so none is \
                 offered for advice: call back when the Family Front Door opens, or route an \
                 urgent child protection concern as a safeguarding referral (or 999 in an \
                 emergency).",
                c(S_APP6, "out of office hours emergency only 01905 768020"),
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
    })
}
