//! The UK calendar against the published gov.uk bank holidays, and the operator's file.
//!
//! `fixtures/bank-holidays.json` is gov.uk's published `bank-holidays.json` for 2018-2027 (all
//! three divisions, titles and notes as published).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};
use continuum_domain::calendar::{Calendar, Division, easter_sunday};

const PUBLISHED: &str = include_str!("fixtures/bank-holidays.json");
const PUBLISHED_YEARS: std::ops::RangeInclusive<i32> = 2018..=2027;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// The published holidays of a division by year: date → title.
fn published(division: Division) -> BTreeMap<i32, BTreeMap<NaiveDate, String>> {
    let json: serde_json::Value = serde_json::from_str(PUBLISHED).unwrap();
    let object = &json[division.as_key()];
    assert_eq!(object["division"], division.as_key());
    let mut years: BTreeMap<i32, BTreeMap<NaiveDate, String>> = BTreeMap::new();
    for event in object["events"].as_array().unwrap() {
        let date = d(event["date"].as_str().unwrap());
        let title = event["title"].as_str().unwrap().to_owned();
        years.entry(date.year()).or_default().insert(date, title);
    }
    years
}

#[test]
fn the_fixture_covers_every_published_year() {
    for division in Division::ALL {
        let years: Vec<i32> = published(division).into_keys().collect();
        assert_eq!(years, PUBLISHED_YEARS.collect::<Vec<_>>(), "{division}");
    }
}

#[test]
fn dates_match_the_published_gov_uk_list() {
    let calendar = Calendar::uk();
    for division in Division::ALL {
        let published = published(division);
        for year in PUBLISHED_YEARS {
            let expected: BTreeSet<NaiveDate> = published[&year].keys().copied().collect();
            let computed: BTreeSet<NaiveDate> = calendar
                .holidays(division, year)
                .unwrap()
                .into_iter()
                .map(|(date, _)| date)
                .collect();
            assert_eq!(computed, expected, "{division} {year}");
        }
    }
}

#[test]
fn titles_match_the_published_gov_uk_list() {
    let calendar = Calendar::uk();
    for division in Division::ALL {
        for (year, expected) in published(division) {
            let computed: BTreeMap<NaiveDate, String> = calendar
                .holidays(division, year)
                .unwrap()
                .into_iter()
                .collect();
            assert_eq!(computed, expected, "{division} {year}");
        }
    }
}

#[test]
fn the_published_file_dropped_in_changes_nothing() {
    let uk = Calendar::uk();
    let with_file = Calendar::uk()
        .with_file("bank-holidays.json", PUBLISHED)
        .unwrap();
    for division in Division::ALL {
        for year in 2015..=2030 {
            assert_eq!(
                with_file.holidays(division, year),
                uk.holidays(division, year),
                "{division} {year}"
            );
        }
    }
}

#[test]
fn christmas_and_new_year_substitute_days() {
    use Division::*;
    let calendar = Calendar::uk();
    // The weekday holidays from 20 December to 10 January, by division.
    let cases: [(&str, [&[&str]; 3]); 8] = [
        // Christmas Friday, Boxing Day Saturday; New Year Friday (Scotland: 2 Jan Saturday).
        (
            "2020-12-20",
            [
                &["2020-12-25", "2020-12-28", "2021-01-01"],
                &["2020-12-25", "2020-12-28", "2021-01-01", "2021-01-04"],
                &["2020-12-25", "2020-12-28", "2021-01-01"],
            ],
        ),
        // Christmas Saturday → Monday 27, Boxing Day → Tuesday 28; New Year Saturday → Monday 3.
        (
            "2021-12-20",
            [
                &["2021-12-27", "2021-12-28", "2022-01-03"],
                &["2021-12-27", "2021-12-28", "2022-01-03", "2022-01-04"],
                &["2021-12-27", "2021-12-28", "2022-01-03"],
            ],
        ),
        // Christmas Sunday → Tuesday 27 (Boxing Day Monday 26); New Year Sunday → Monday 2.
        (
            "2022-12-20",
            [
                &["2022-12-26", "2022-12-27", "2023-01-02"],
                &["2022-12-26", "2022-12-27", "2023-01-02", "2023-01-03"],
                &["2022-12-26", "2022-12-27", "2023-01-02"],
            ],
        ),
        (
            "2023-12-20",
            [
                &["2023-12-25", "2023-12-26", "2024-01-01"],
                &["2023-12-25", "2023-12-26", "2024-01-01", "2024-01-02"],
                &["2023-12-25", "2023-12-26", "2024-01-01"],
            ],
        ),
        (
            "2024-12-20",
            [
                &["2024-12-25", "2024-12-26", "2025-01-01"],
                &["2024-12-25", "2024-12-26", "2025-01-01", "2025-01-02"],
                &["2024-12-25", "2024-12-26", "2025-01-01"],
            ],
        ),
        (
            "2025-12-20",
            [
                &["2025-12-25", "2025-12-26", "2026-01-01"],
                &["2025-12-25", "2025-12-26", "2026-01-01", "2026-01-02"],
                &["2025-12-25", "2025-12-26", "2026-01-01"],
            ],
        ),
        // Boxing Day Saturday → Monday 28; in Scotland 2 January 2027 (Saturday) → Monday 4.
        (
            "2026-12-20",
            [
                &["2026-12-25", "2026-12-28", "2027-01-01"],
                &["2026-12-25", "2026-12-28", "2027-01-01", "2027-01-04"],
                &["2026-12-25", "2026-12-28", "2027-01-01"],
            ],
        ),
        // Christmas Saturday again; New Year 2028 Saturday → Monday 3 (Scotland: 3 and 4).
        (
            "2027-12-20",
            [
                &["2027-12-27", "2027-12-28", "2028-01-03"],
                &["2027-12-27", "2027-12-28", "2028-01-03", "2028-01-04"],
                &["2027-12-27", "2027-12-28", "2028-01-03"],
            ],
        ),
    ];
    for (from, expected) in cases {
        for (division, dates) in [EnglandAndWales, Scotland, NorthernIreland]
            .into_iter()
            .zip(expected)
        {
            let closed = calendar.closed_dates(division, d(from), 22).unwrap();
            let expected: Vec<NaiveDate> = dates.iter().map(|s| d(s)).collect();
            assert_eq!(closed, expected, "{division} from {from}");
        }
    }
    // The published titles of the substitutes.
    assert_eq!(
        calendar.holiday_title(EnglandAndWales, d("2022-12-27")),
        Some("Christmas Day")
    );
    assert_eq!(
        calendar.holiday_title(Scotland, d("2023-01-02")),
        Some("New Year’s Day")
    );
    assert_eq!(
        calendar.holiday_title(Scotland, d("2023-01-03")),
        Some("2nd January")
    );
}

#[test]
fn easter_by_the_computus() {
    for (year, sunday, good_friday, easter_monday) in [
        (1995, "1995-04-16", "1995-04-14", "1995-04-17"),
        (2008, "2008-03-23", "2008-03-21", "2008-03-24"),
        (2019, "2019-04-21", "2019-04-19", "2019-04-22"),
        (2024, "2024-03-31", "2024-03-29", "2024-04-01"),
        (2038, "2038-04-25", "2038-04-23", "2038-04-26"),
        (2100, "2100-03-28", "2100-03-26", "2100-03-29"),
    ] {
        assert_eq!(easter_sunday(year), Some(d(sunday)));
        let calendar = Calendar::uk();
        for division in Division::ALL {
            assert_eq!(
                calendar.holiday_title(division, d(good_friday)),
                Some("Good Friday")
            );
            let monday = calendar.is_holiday(division, d(easter_monday));
            assert_eq!(monday, Some(division != Division::Scotland), "{division}");
        }
    }
}

#[test]
fn one_off_days() {
    let calendar = Calendar::uk();
    for division in Division::ALL {
        let holiday = |date: &str| calendar.holiday_title(division, d(date));
        // 2020: early May moved from Monday 4 to Friday 8 May for VE day.
        assert_eq!(holiday("2020-05-04"), None);
        assert_eq!(
            holiday("2020-05-08"),
            Some("Early May bank holiday (VE day)")
        );
        // 2022: spring bank holiday Thursday 2 June, Platinum Jubilee Friday 3 June, the state
        // funeral Monday 19 September; not Monday 30 May.
        assert_eq!(holiday("2022-05-30"), None);
        assert_eq!(holiday("2022-06-02"), Some("Spring bank holiday"));
        assert_eq!(holiday("2022-06-03"), Some("Platinum Jubilee bank holiday"));
        assert_eq!(
            holiday("2022-09-19"),
            Some("Bank Holiday for the State Funeral of Queen Elizabeth II")
        );
        // 2023: the coronation on Monday 8 May, besides the early May bank holiday on 1 May.
        assert_eq!(holiday("2023-05-01"), Some("Early May bank holiday"));
        assert_eq!(
            holiday("2023-05-08"),
            Some("Bank holiday for the coronation of King Charles III")
        );
        // Earlier years.
        assert_eq!(holiday("1995-05-01"), None);
        assert!(holiday("1995-05-08").is_some());
        assert!(holiday("1999-12-31").is_some());
        assert_eq!(holiday("2002-05-27"), None);
        assert_eq!(holiday("2002-06-03"), Some("Queen’s Golden Jubilee"));
        assert_eq!(holiday("2002-06-04"), Some("Spring bank holiday"));
        assert!(holiday("2011-04-29").is_some());
        assert_eq!(holiday("2012-05-28"), None);
        assert_eq!(holiday("2012-06-04"), Some("Spring bank holiday"));
        assert_eq!(holiday("2012-06-05"), Some("Queen’s Diamond Jubilee"));
        // The one-off years are complete: the rest of 2022 is still there.
        assert_eq!(holiday("2022-12-26"), Some("Boxing Day"));
    }
    // 2022 in England: the working days of the jubilee week.
    let e = Division::EnglandAndWales;
    assert_eq!(
        calendar.closed_dates(e, d("2022-05-30"), 7),
        Some(vec![d("2022-06-02"), d("2022-06-03")])
    );
    assert_eq!(
        calendar.add_working_days(e, d("2022-06-01"), 1),
        Some(d("2022-06-06"))
    );
}

#[test]
fn working_day_arithmetic() {
    let calendar = Calendar::uk();
    let e = Division::EnglandAndWales;
    // Christmas 2026 in England: 25 (Fri) and 28 (Mon) closed.
    assert_eq!(calendar.is_working_day(e, d("2026-12-24")), Some(true));
    assert_eq!(calendar.is_working_day(e, d("2026-12-25")), Some(false));
    assert_eq!(calendar.is_working_day(e, d("2026-12-26")), Some(false));
    assert_eq!(calendar.is_holiday(e, d("2026-12-26")), Some(false));
    assert_eq!(
        calendar.next_working_day_on_or_after(e, d("2026-12-25")),
        Some(d("2026-12-29"))
    );
    assert_eq!(
        calendar.next_working_day_on_or_after(e, d("2026-12-29")),
        Some(d("2026-12-29"))
    );
    assert_eq!(
        calendar.add_working_days(e, d("2026-12-24"), 1),
        Some(d("2026-12-29"))
    );
    assert_eq!(
        calendar.add_working_days(e, d("2026-12-25"), 0),
        Some(d("2026-12-25"))
    );
    // Working days late: due Thursday 24 December, met Wednesday 30 December = 2 days late.
    let number = |s: &str| calendar.working_day_number(e, d(s)).unwrap();
    assert_eq!(number("2026-12-30") - number("2026-12-24"), 2);
    assert_eq!(number("2026-12-28"), number("2026-12-24"));
    // 2026 has 261 weekdays and 8 bank holidays in England, all on weekdays.
    assert_eq!(number("2026-12-31") - number("2025-12-31"), 261 - 8);
}

#[test]
fn the_operator_file_replaces_the_years_it_lists() {
    // A 2026 for England with only two holidays; Scotland and other years untouched.
    let file = r#"{
        "england-and-wales": {
            "division": "england-and-wales",
            "events": [
                {"title": "New Year’s Day", "date": "2026-01-01", "notes": "", "bunting": true},
                {"title": "Council day", "date": "2026-06-15", "notes": "", "bunting": false}
            ]
        }
    }"#;
    let calendar = Calendar::uk().with_file("local.json", file).unwrap();
    let e = Division::EnglandAndWales;
    assert_eq!(
        calendar.holidays(e, 2026),
        Some(vec![
            (d("2026-01-01"), "New Year’s Day".to_owned()),
            (d("2026-06-15"), "Council day".to_owned()),
        ])
    );
    assert_eq!(calendar.is_holiday(e, d("2026-12-25")), Some(false));
    assert_eq!(calendar.is_holiday(e, d("2027-01-01")), Some(true));
    assert_eq!(calendar.is_holiday(e, d("2025-12-25")), Some(true));
    assert_eq!(
        calendar.holidays(Division::Scotland, 2026),
        Calendar::uk().holidays(Division::Scotland, 2026)
    );
}

#[test]
fn the_operator_file_extends_with_local_closures() {
    // A council closed between Christmas and New Year 2026 in England.
    let file = r#"{"england-and-wales": {"division": "england-and-wales", "extend": true, "events": [
        {"title": "Council closure", "date": "2026-12-29", "notes": "", "bunting": false},
        {"title": "Council closure", "date": "2026-12-30", "notes": "", "bunting": false},
        {"title": "Council closure", "date": "2026-12-31", "notes": "", "bunting": false},
        {"title": "Council closure", "date": "2026-12-28", "notes": "", "bunting": false}
    ]}}"#;
    let calendar = Calendar::uk().with_file("closures.json", file).unwrap();
    let e = Division::EnglandAndWales;
    assert_eq!(
        calendar.closed_dates(e, d("2026-12-21"), 14),
        Some(
            [
                "2026-12-25",
                "2026-12-28",
                "2026-12-29",
                "2026-12-30",
                "2026-12-31",
                "2027-01-01"
            ]
            .map(d)
            .to_vec()
        )
    );
    // A bank holiday keeps its own title.
    assert_eq!(
        calendar.holiday_title(e, d("2026-12-28")),
        Some("Boxing Day")
    );
    assert_eq!(
        calendar.holiday_title(e, d("2026-12-29")),
        Some("Council closure")
    );
    // The rest of 2026 stays.
    assert_eq!(calendar.is_holiday(e, d("2026-08-31")), Some(true));
    assert_eq!(
        calendar.add_working_days(e, d("2026-12-24"), 1),
        Some(d("2027-01-04"))
    );
    // Only England changed.
    assert_eq!(
        calendar.is_holiday(Division::NorthernIreland, d("2026-12-29")),
        Some(false)
    );
}

#[test]
fn a_malformed_file_is_an_error_naming_file_line_and_problem() {
    let bad_date = "{\n  \"scotland\": {\n    \"events\": [\n      {\"title\": \"x\", \"date\": \"2026-02-30\"}\n    ]\n  }\n}";
    let error = Calendar::uk()
        .with_file("/etc/continuum/holidays.json", bad_date)
        .unwrap_err();
    assert_eq!(error.file, "/etc/continuum/holidays.json");
    assert_eq!(error.line, 4);
    assert!(
        error.message.contains("invalid date \"2026-02-30\""),
        "{error}"
    );
    let shown = error.to_string();
    assert!(
        shown.starts_with("calendar file /etc/continuum/holidays.json, line 4, column "),
        "{shown}"
    );

    let not_json = "{\"scotland\": {\"events\": [}\n";
    let error = Calendar::uk().with_file("h.json", not_json).unwrap_err();
    assert_eq!((error.file.as_str(), error.line), ("h.json", 1));

    let missing_events = "{\"scotland\": {\"division\": \"scotland\"}}";
    let error = Calendar::uk()
        .with_file("h.json", missing_events)
        .unwrap_err();
    assert!(error.message.contains("missing field `events`"), "{error}");

    let misspelt_extend = "{\"scotland\": {\"extnd\": true, \"events\": []}}";
    let error = Calendar::uk()
        .with_file("h.json", misspelt_extend)
        .unwrap_err();
    assert!(error.message.contains("unknown field `extnd`"), "{error}");

    let wrong_division = "{\"scotland\": {\"division\": \"england-and-wales\", \"events\": []}}";
    let error = Calendar::uk()
        .with_file("h.json", wrong_division)
        .unwrap_err();
    assert!(
        error
            .message
            .contains("\"division\": \"england-and-wales\""),
        "{error}"
    );
}

#[test]
fn an_unknown_division_is_an_error() {
    let file = "{\n  \"england-and-wales\": {\"events\": []},\n  \"wales\": {\"events\": []}\n}";
    let error = Calendar::uk().with_file("h.json", file).unwrap_err();
    assert_eq!(error.line, 3);
    assert!(
        error.message.contains("unknown division \"wales\""),
        "{error}"
    );

    let twice = "{\"scotland\": {\"events\": []}, \"scotland\": {\"events\": []}}";
    let error = Calendar::uk().with_file("h.json", twice).unwrap_err();
    assert!(error.message.contains("listed twice"), "{error}");
}

#[test]
fn dates_outside_the_covered_years_are_refused_in_a_file() {
    let file =
        "{\"england-and-wales\": {\"events\": [\n{\"title\": \"x\", \"date\": \"2101-01-01\"}]}}";
    let error = Calendar::uk().with_file("h.json", file).unwrap_err();
    assert_eq!(error.line, 2);
    assert!(
        error
            .message
            .contains("outside the covered years 1995-2100"),
        "{error}"
    );
}

#[test]
fn years_out_of_range_are_unknown() {
    let calendar = Calendar::uk();
    for division in Division::ALL {
        for date in [d("1994-12-30"), d("2101-01-03")] {
            assert_eq!(calendar.is_holiday(division, date), None);
            assert_eq!(calendar.is_working_day(division, date), None);
            assert_eq!(calendar.holiday_title(division, date), None);
            assert_eq!(calendar.working_day_number(division, date), None);
            assert_eq!(calendar.add_working_days(division, date, 1), None);
            assert_eq!(calendar.next_working_day_on_or_after(division, date), None);
            assert_eq!(calendar.closed_dates(division, date, 7), None);
        }
        assert_eq!(calendar.holidays(division, 1994), None);
        assert_eq!(calendar.holidays(division, 2101), None);
        assert!(calendar.holidays(division, 1995).is_some());
        assert!(calendar.holidays(division, 2100).is_some());
        // A range or an answer that runs past 2100 is unknown too.
        assert_eq!(calendar.closed_dates(division, d("2100-12-20"), 30), None);
        assert_eq!(
            calendar.add_working_days(division, d("2100-12-01"), 40),
            None
        );
    }
}
