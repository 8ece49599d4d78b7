//! What plugins read from a child's facts the same way: whether an age range serves a child,
//! whether a circumstance holds, and which timescale rules a case event starts. Pure functions.

use crate::pb::{AgeRange, ChildAge, Circumstance, Deadline, TimescaleRequest, TimescaleRule};

/// Whether `age` is in `range`: an unborn child from the range's week of pregnancy (any week
/// when it gives none), a born child from `min_age_years` to `max_age_years`, or to an
/// extension's age in a circumstance the child is in.
pub fn serves(range: &AgeRange, age: &ChildAge) -> bool {
    if age.unborn {
        return range.serves_unborn
            && (range.unborn_from_gestation_weeks == 0
                || age.gestation_weeks >= range.unborn_from_gestation_weeks);
    }
    if age.years < range.min_age_years {
        return false;
    }
    age.years <= range.max_age_years
        || range
            .extensions
            .iter()
            .any(|e| age.years <= e.max_age_years && holds(e.circumstance, age))
}

/// Whether the circumstance (a `Circumstance` as the wire carries it) holds for the child.
/// Unspecified holds for nobody: it is one the service cannot check.
pub fn holds(circumstance: i32, age: &ChildAge) -> bool {
    match Circumstance::try_from(circumstance) {
        Ok(Circumstance::LookedAfter) => age.looked_after,
        Ok(Circumstance::LearningDifficultyOrDisability) => age.learning_difficulty_or_disability,
        Ok(Circumstance::Unborn) => age.unborn,
        Ok(Circumstance::Unspecified) | Err(_) => false,
    }
}

/// The deadlines `request`'s event starts, from an authority's rules: those for its level and
/// for every level, for every child and for the circumstances the child is in (none when the
/// request gives no age).
pub fn deadlines(rules: &[TimescaleRule], request: &TimescaleRequest) -> Vec<Deadline> {
    rules
        .iter()
        .filter(|r| {
            r.event == request.event
                && (r.level_code.is_empty() || r.level_code == request.level_code)
                && (r.only_if == Circumstance::Unspecified as i32
                    || request.age.as_ref().is_some_and(|a| holds(r.only_if, a)))
        })
        .flat_map(|r| r.deadlines.iter().cloned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pb::{AgeExtension, CaseEvent};
    use crate::time;

    fn born(years: u32) -> ChildAge {
        ChildAge {
            years,
            ..Default::default()
        }
    }

    fn unborn(weeks: u32) -> ChildAge {
        ChildAge {
            unborn: true,
            gestation_weeks: weeks,
            ..Default::default()
        }
    }

    #[test]
    fn pre_birth_with_and_without_a_week() {
        // "Pre-birth to 19": no week given, so any unborn child.
        let pre_birth = AgeRange {
            serves_unborn: true,
            max_age_years: 19,
            ..Default::default()
        };
        assert!(serves(&pre_birth, &unborn(6)));
        // "Unborn children (from 24 weeks of gestation)".
        let from_24 = AgeRange {
            unborn_from_gestation_weeks: 24,
            ..pre_birth.clone()
        };
        assert!(!serves(&from_24, &unborn(20)));
        assert!(serves(&from_24, &unborn(24)));
        let born_only = AgeRange {
            max_age_years: 17,
            ..Default::default()
        };
        assert!(!serves(&born_only, &unborn(30)));
    }

    #[test]
    fn extensions_need_their_circumstance() {
        // "0 to 19, to 25 with special educational needs or a disability".
        let range = AgeRange {
            max_age_years: 19,
            extensions: vec![AgeExtension {
                condition: "special educational needs or a disability".into(),
                max_age_years: 25,
                circumstance: Circumstance::LearningDifficultyOrDisability as i32,
                ..Default::default()
            }],
            ..Default::default()
        };
        assert!(serves(&range, &born(19)));
        assert!(!serves(&range, &born(22)));
        let send = ChildAge {
            learning_difficulty_or_disability: true,
            ..born(22)
        };
        assert!(serves(&range, &send));
        assert!(!serves(&range, &ChildAge { years: 26, ..send }));
        let teenager = AgeRange {
            min_age_years: 11,
            max_age_years: 17,
            ..Default::default()
        };
        assert!(!serves(&teenager, &born(10)));
    }

    #[test]
    fn rules_for_a_circumstance_start_only_for_it() {
        let deadline = |code: &str| Deadline {
            code: code.into(),
            due_in: Some(time::weeks(1)),
            ..Default::default()
        };
        let rules = [
            TimescaleRule {
                event: CaseEvent::ReferralAccepted as i32,
                deadlines: vec![deadline("EVERY-CHILD")],
                ..Default::default()
            },
            TimescaleRule {
                event: CaseEvent::ReferralAccepted as i32,
                level_code: "L3".into(),
                only_if: Circumstance::Unborn as i32,
                deadlines: vec![deadline("PRE-BIRTH")],
            },
        ];
        let codes = |request: TimescaleRequest| -> Vec<String> {
            deadlines(&rules, &request)
                .into_iter()
                .map(|d| d.code)
                .collect()
        };
        let at_l3 = |age| TimescaleRequest {
            event: CaseEvent::ReferralAccepted as i32,
            level_code: "L3".into(),
            age,
        };
        assert_eq!(codes(at_l3(None)), ["EVERY-CHILD"]);
        assert_eq!(codes(at_l3(Some(born(4)))), ["EVERY-CHILD"]);
        assert_eq!(codes(at_l3(Some(unborn(30)))), ["EVERY-CHILD", "PRE-BIRTH"]);
        let at_l2 = TimescaleRequest {
            level_code: "L2".into(),
            ..at_l3(Some(unborn(30)))
        };
        assert_eq!(codes(at_l2), ["EVERY-CHILD"]);
    }
}
