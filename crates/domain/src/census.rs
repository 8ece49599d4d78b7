//! The code sets of the Department for Education's children in need (CIN) census, England, as
//! tables of `(code, label)` with look-ups that refuse unknown codes and, where the census has
//! withdrawn a code, refuse it as deprecated (naming what to use instead).
//!
//! Year followed: the **children in need census 2025 to 2026** (DfE, "Children in need census
//! 2025 to 2026: business and technical specification", first published 1 November 2024). Its
//! code sets are those of the 2024 to 2025 specification (version 1.2, November 2024), which
//! replaced `<Gender>` by `<Sex>` (N00783: F, M, U); the 2025 to 2026 validation rules carry the
//! 2024 to 2025 rule set forward with no change to any code-set rule. The 2026 to 2027
//! specification (published 18 November 2025) adds a pre-proceedings module; it was not read
//! here, so no change it makes to these tables is reflected.
//!
//! The specification's PDF text was not available to read. The tables were taken from two public
//! machine-readable encodings of it, cross-checked against each other:
//!
//! - data-to-insight/csc-validator-be-cin (the CIN validator used by local authorities), rule
//!   files under `cin_validator/rules/`: `cin2022_23/rule_8866.py` (referral source),
//!   `rule_8650.py` (primary need), `rule_8640.py` (reason for closure), `rule_8897Q.py`
//!   (factors), `rule_4220.py` (ethnicity), `rule_8540.py` (disability), `rule_8825Q.py`
//!   (RC8/RC9 need an assessment); `cin2024_25/rule_4180.py`, `rule_8750.py`, `rule_2886Q.py`
//!   (sex) and `rule_8945Q.py`, `rule_8950Q.py` (factors 18A and 19A withdrawn). These give the
//!   codes, not the labels.
//! - SocialFinanceDigitalLabs/liia-tools, `liiatools/spec/cin_census/CIN_schema_2024.xsd` (and
//!   the earlier years beside it): the same codes with the specification's labels. Capitals used
//!   for emphasis in the referral-source labels are set in sentence case here.
//!
//! Where a source and the specification disagree the specification wins; each such place is
//! noted beside its table.

use std::fmt;

/// The specification the tables follow, as the API names it.
pub const SPECIFICATION: &str = "Children in need census 2025 to 2026: business and technical \
specification (Department for Education), whose code sets are those of the 2024 to 2025 \
specification, version 1.2";

/// One code of a census code set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Code {
    pub code: &'static str,
    pub label: &'static str,
}

/// A code the census no longer accepts: refused on the way in, with what to use instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Deprecated {
    pub code: &'static str,
    pub label: &'static str,
    /// The current codes that replace it (may be several: the recorder must choose).
    pub use_instead: &'static [&'static str],
}

/// A census code set: what the field means, its CIN data item and XML tag, its codes and its
/// deprecated codes.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct Table {
    /// The field's meaning in words, e.g. "source of referral".
    pub meaning: &'static str,
    /// The common basic data set item number, e.g. "N00152".
    pub item: &'static str,
    /// The XML tag in the census return, e.g. "ReferralSource".
    pub tag: &'static str,
    pub codes: &'static [Code],
    pub deprecated: &'static [Deprecated],
}

/// Why a code was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeError {
    /// Not a code of the table at all (codes are case-sensitive).
    Unknown { table: &'static Table, code: String },
    /// A code the census has withdrawn.
    Deprecated {
        table: &'static Table,
        code: String,
        deprecated: &'static Deprecated,
    },
}

impl CodeError {
    pub fn table(&self) -> &'static Table {
        match self {
            CodeError::Unknown { table, .. } | CodeError::Deprecated { table, .. } => table,
        }
    }

    pub fn code(&self) -> &str {
        match self {
            CodeError::Unknown { code, .. } | CodeError::Deprecated { code, .. } => code,
        }
    }
}

impl fmt::Display for CodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CodeError::Unknown { table, code } => {
                write!(
                    f,
                    "{code:?} is not a children in need census code for {} ({} {}); valid codes: {}",
                    table.meaning,
                    table.tag,
                    table.item,
                    table.code_list()
                )?;
                let upper = code.trim().to_ascii_uppercase();
                if upper != *code && table.get(&upper).is_some() {
                    write!(
                        f,
                        " (codes are upper case without spaces: did you mean {upper:?}?)"
                    )?;
                }
                Ok(())
            }
            CodeError::Deprecated {
                table,
                code,
                deprecated,
            } => write!(
                f,
                "{code:?} ({}) is a deprecated children in need census code for {} ({} {}) and is \
                 no longer accepted; use {} instead",
                deprecated.label,
                table.meaning,
                table.tag,
                table.item,
                deprecated.use_instead.join(" or ")
            ),
        }
    }
}

impl std::error::Error for CodeError {}

impl Table {
    /// The code's entry, if it is a current code (exact, case-sensitive match).
    pub fn get(&self, code: &str) -> Option<&'static Code> {
        self.codes.iter().find(|c| c.code == code)
    }

    /// The code's label, if it is a current code.
    pub fn label(&self, code: &str) -> Option<&'static str> {
        self.get(code).map(|c| c.label)
    }

    /// Whether the code is one the census has withdrawn.
    pub fn deprecation(&self, code: &str) -> Option<&'static Deprecated> {
        self.deprecated.iter().find(|d| d.code == code)
    }

    /// The current code, or why it is refused.
    pub fn lookup(&'static self, code: &str) -> Result<&'static Code, CodeError> {
        if let Some(c) = self.get(code) {
            return Ok(c);
        }
        match self.deprecation(code) {
            Some(deprecated) => Err(CodeError::Deprecated {
                table: self,
                code: code.to_owned(),
                deprecated,
            }),
            None => Err(CodeError::Unknown {
                table: self,
                code: code.to_owned(),
            }),
        }
    }

    /// The current codes, comma-separated, in the specification's order.
    pub fn code_list(&self) -> String {
        self.codes
            .iter()
            .map(|c| c.code)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

const fn c(code: &'static str, label: &'static str) -> Code {
    Code { code, label }
}

// --- Source of referral -------------------------------------------------------------------------

/// Source of referral, `<ReferralSource>` (N00152). CIN census 2025 to 2026 (codes: validator
/// rule 8866; labels: liia-tools CIN_schema_2024.xsd, capitals set in sentence case).
pub const REFERRAL_SOURCES: &[Code] = &[
    c("1A", "Individual – family member, relative or carer"),
    c(
        "1B",
        "Individual – acquaintance (including neighbours and child minders)",
    ),
    c("1C", "Individual – self"),
    c("1D", "Individual – other (including strangers)"),
    c("2A", "Schools"),
    c("2B", "Education services"),
    c("3A", "Health services – general practitioner (GP)"),
    c("3B", "Health services – health visitor"),
    c("3C", "Health services – school nurse"),
    c("3D", "Health services – other primary health services"),
    c(
        "3E",
        "Health services – A&E (accident and emergency department)",
    ),
    c("3F", "Health services – other (for example hospice)"),
    c(
        "4",
        "Housing – local authority housing or housing association",
    ),
    c(
        "5A",
        "LA services – social care, for example adults social care services",
    ),
    c(
        "5B",
        "LA services – other internal (department other than social care in local authorities, \
         for example youth offending, excluding housing)",
    ),
    c(
        "5C",
        "LA services – external, for example from another local authority’s adults social care \
         services",
    ),
    c("5D", "LA services – early help"),
    c("6", "Police"),
    c(
        "7",
        "Other legal agency – including courts, probation, immigration, CAFCASS (Children and \
         Family Court Advisory and Support Service) or prison",
    ),
    c(
        "8",
        "Other – including children’s centres, independent agency providers or voluntary \
         organisations",
    ),
    c("9", "Anonymous"),
    c("10", "Unknown"),
];

pub static REFERRAL_SOURCE: Table = Table {
    meaning: "source of referral",
    item: "N00152",
    tag: "ReferralSource",
    codes: REFERRAL_SOURCES,
    deprecated: &[],
};

/// A source of referral (N00152).
pub fn referral_source(code: &str) -> Result<&'static Code, CodeError> {
    REFERRAL_SOURCE.lookup(code)
}

// --- Primary need -------------------------------------------------------------------------------

/// Primary need code, `<PrimaryNeedCode>` (N00101). CIN census 2025 to 2026 (codes: validator
/// rule 8650; labels: liia-tools CIN_schema_2024.xsd). N3 is "Parental disability or illness"
/// in the specification's wording (sometimes quoted as "parental illness or disability").
pub const PRIMARY_NEEDS: &[Code] = &[
    c("N0", "Not stated"),
    c("N1", "Abuse or neglect"),
    c("N2", "Child’s disability"),
    c("N3", "Parental disability or illness"),
    c("N4", "Family in acute stress"),
    c("N5", "Family dysfunction"),
    c("N6", "Socially unacceptable behaviour"),
    c("N7", "Low income"),
    c("N8", "Absent parenting"),
    c("N9", "Cases other than children in need"),
];

pub static PRIMARY_NEED: Table = Table {
    meaning: "primary need",
    item: "N00101",
    tag: "PrimaryNeedCode",
    codes: PRIMARY_NEEDS,
    deprecated: &[],
};

/// A primary need code (N00101).
pub fn primary_need(code: &str) -> Result<&'static Code, CodeError> {
    PRIMARY_NEED.lookup(code)
}

// --- Reason for closure -------------------------------------------------------------------------

/// Reason for closure, `<ReasonForClosure>` (N00103). CIN census 2025 to 2026 (codes: validator
/// rule 8640; labels: liia-tools CIN_schema_2024.xsd).
pub const CLOSURE_REASONS: &[Code] = &[
    c("RC1", "Adopted"),
    c("RC2", "Died"),
    c("RC3", "Child arrangements order"),
    c("RC4", "Special guardianship order"),
    c("RC5", "Transferred to services of another local authority"),
    c("RC6", "Transferred to adult social care services"),
    c(
        "RC7",
        "Services ceased for any other reason, including child no longer in need",
    ),
    c("RC8", "Case closed after assessment, no further action"),
    c(
        "RC9",
        "Case closed after assessment, referred to early help",
    ),
];

pub static REASON_FOR_CLOSURE: Table = Table {
    meaning: "reason for closure",
    item: "N00103",
    tag: "ReasonForClosure",
    codes: CLOSURE_REASONS,
    deprecated: &[],
};

/// A reason for closure (N00103).
pub fn reason_for_closure(code: &str) -> Result<&'static Code, CodeError> {
    REASON_FOR_CLOSURE.lookup(code)
}

/// The reasons for closure that say the case closed after an assessment: an episode closed with
/// one of them should have at least one assessment recorded (CIN validation rule 8825Q, a query
/// in the census rather than an error), and should have no CIN plan, section 47 enquiry or child
/// protection plan (rule 2990).
pub const CLOSURE_REASONS_AFTER_ASSESSMENT: &[&str] = &["RC8", "RC9"];

/// Whether closing a case for this reason needs an assessment to have been recorded on the
/// episode (RC8 and RC9). False for any other code, known or not.
pub fn closure_needs_assessment(reason: &str) -> bool {
    CLOSURE_REASONS_AFTER_ASSESSMENT.contains(&reason)
}

// --- Factors identified at the end of assessment ------------------------------------------------

/// Factors identified at the end of assessment, `<AssessmentFactors>` (N00181). CIN census 2025
/// to 2026 (labels: liia-tools CIN_schema_2024.xsd). Codes: the validator's rule 8897Q (written
/// for 2022 to 2023) still lists 18A and 19A as valid, but its 2024 to 2025 rules 8945Q and 8950Q
/// say they "should not be used" (18B or 18C, 19B or 19C instead), and the schemas carry neither
/// since their 2021 edition; they are [`FACTORS_DEPRECATED`] here. The census itself only
/// queries them; Continuum refuses them. No edition seen (the schemas of 2017 to 2024) has a
/// factor 8A or 22, so those are refused as unknown, not deprecated.
pub const FACTORS: &[Code] = &[
    c(
        "1A",
        "Alcohol misuse: concerns about alcohol misuse by the child",
    ),
    c(
        "1B",
        "Alcohol misuse: concerns about alcohol misuse by the parent(s)/carer(s)",
    ),
    c(
        "1C",
        "Alcohol misuse: concerns about alcohol misuse by another person living in the household",
    ),
    c("2A", "Drug misuse: concerns about drug misuse by the child"),
    c(
        "2B",
        "Drug misuse: concerns about drug misuse by the parent(s)/carer(s)",
    ),
    c(
        "2C",
        "Drug misuse: concerns about drug misuse by another person living in the household",
    ),
    c(
        "3A",
        "Domestic violence: concerns about the child being the subject of domestic violence",
    ),
    c(
        "3B",
        "Domestic violence: concerns about the child’s parent(s)/carer(s) being the subject of \
         domestic violence",
    ),
    c(
        "3C",
        "Domestic violence: concerns about another person living in the household being the \
         subject of domestic violence",
    ),
    c(
        "4A",
        "Mental health: concerns about the mental health of the child",
    ),
    c(
        "4B",
        "Mental health: concerns about the mental health of the parent(s)/carer(s)",
    ),
    c(
        "4C",
        "Mental health: concerns about the mental health of another person in the \
         family/household",
    ),
    c(
        "5A",
        "Learning disability: concerns about the child’s learning disability",
    ),
    c(
        "5B",
        "Learning disability: concerns about the parent(s)/carer(s) learning disability",
    ),
    c(
        "5C",
        "Learning disability: concerns about another person in the family/household’s learning \
         disability",
    ),
    c(
        "6A",
        "Physical disability or illness: concerns about a physical disability or illness of the \
         child",
    ),
    c(
        "6B",
        "Physical disability or illness: concerns about a physical disability or illness of the \
         parent(s)/carer(s)",
    ),
    c(
        "6C",
        "Physical disability or illness: concerns about a physical disability or illness of \
         another person in the family/household",
    ),
    c(
        "7A",
        "Young carer: concerns that services may be required or the child’s health or \
         development may be impaired due to their caring responsibilities",
    ),
    c(
        "8B",
        "Privately fostered: concerns that services may be required or the child may be at risk \
         as a privately fostered child – overseas children who intend to return",
    ),
    c(
        "8C",
        "Privately fostered: concerns that services may be required or the child may be at risk \
         as a privately fostered child – overseas children who intend to stay",
    ),
    c(
        "8D",
        "Privately fostered: concerns that services may be required or the child may be at risk \
         as a privately fostered child – UK children in educational placements",
    ),
    c(
        "8E",
        "Privately fostered: concerns that services may be required or the child may be at risk \
         as a privately fostered child – UK children making alternative family arrangements",
    ),
    c(
        "8F",
        "Privately fostered: concerns that services may be required or the child may be at risk \
         as a privately fostered child – other",
    ),
    c(
        "9A",
        "UASC: concerns that services may be required or the child may be at risk of harm as an \
         unaccompanied asylum-seeking child",
    ),
    c(
        "10A",
        "Missing: concerns that services may be required or the child may be at risk of harm due \
         to going/being missing",
    ),
    c(
        "11A",
        "Child sexual exploitation: concerns that services may be required or the child may be at \
         risk of harm due to child sexual exploitation",
    ),
    c(
        "12A",
        "Trafficking: concerns that services may be required or the child may be at risk of harm \
         due to trafficking",
    ),
    c(
        "13A",
        "Gangs: concerns that services may be required or the child may be at risk of harm \
         because of involvement in/with gangs",
    ),
    c(
        "14A",
        "Socially unacceptable behaviour: concerns that services may be required or the child may \
         be at risk due to their socially unacceptable behaviour",
    ),
    c(
        "15A",
        "Self-harm: concerns that services may be required or due to suspected/actual \
         self-harming child may be at risk of harm",
    ),
    c(
        "16A",
        "Abuse or neglect – ‘neglect’: concerns that services may be required or the child may be \
         suffering or likely to suffer significant harm due to abuse or neglect",
    ),
    c(
        "17A",
        "Abuse or neglect – ‘emotional abuse’: concerns that services may be required or the \
         child may be suffering or likely to suffer significant harm due to abuse or neglect",
    ),
    c(
        "18B",
        "Abuse or neglect – ‘physical abuse’ (child on child): concerns that services may be \
         required or the child may be suffering or likely to suffer significant harm due to abuse \
         or neglect by another child",
    ),
    c(
        "18C",
        "Abuse or neglect – ‘physical abuse’ (adult on child): concerns that services may be \
         required or the child may be suffering or likely to suffer significant harm due to abuse \
         or neglect by an adult",
    ),
    c(
        "19B",
        "Abuse or neglect – ‘sexual abuse’ (child on child): concerns that services may be \
         required or the child may be suffering or likely to suffer significant harm due to abuse \
         or neglect by another child",
    ),
    c(
        "19C",
        "Abuse or neglect – ‘sexual abuse’ (adult on child): concerns that services may be \
         required or the child may be suffering or likely to suffer significant harm due to abuse \
         or neglect by an adult",
    ),
    c("20", "Other"),
    c(
        "21",
        "No factors identified – only use this if there is no evidence of any of the factors \
         above and no further action is being taken",
    ),
    c(
        "22A",
        "Female genital mutilation (FGM) – concerns that services may be required or the child \
         may be at risk due to female genital mutilation",
    ),
    c(
        "23A",
        "Abuse linked to faith or belief – concerns that services may be required or the child \
         may be at risk due to abuse linked to faith or belief",
    ),
    c(
        "24A",
        "Child criminal exploitation: concerns that services may be required or the child may be \
         at risk of harm due to child criminal exploitation",
    ),
];

/// Factor codes the census has withdrawn: 18A and 19A, split by who abused the child (validator
/// rules 8945Q and 8950Q, 2024 to 2025; labels from liia-tools CIN_schema_2020.xsd, the last
/// schema carrying them).
pub const FACTORS_DEPRECATED: &[Deprecated] = &[
    Deprecated {
        code: "18A",
        label: "Abuse or neglect – ‘physical abuse’ (not saying whether by a child or an adult)",
        use_instead: &["18B", "18C"],
    },
    Deprecated {
        code: "19A",
        label: "Abuse or neglect – ‘sexual abuse’ (not saying whether by a child or an adult)",
        use_instead: &["19B", "19C"],
    },
];

pub static FACTOR: Table = Table {
    meaning: "a factor identified at the end of assessment",
    item: "N00181",
    tag: "AssessmentFactors",
    codes: FACTORS,
    deprecated: FACTORS_DEPRECATED,
};

/// A factor identified at the end of assessment (N00181); 18A and 19A are refused as
/// deprecated.
pub fn factor(code: &str) -> Result<&'static Code, CodeError> {
    FACTOR.lookup(code)
}

// --- Ethnicity ----------------------------------------------------------------------------------

/// Ethnicity, `<Ethnicity>` (N00177): the DfE's main ethnic codes. CIN census 2025 to 2026
/// (codes: validator rule 4220; labels: liia-tools CIN_schema_2024.xsd).
pub const ETHNICITIES: &[Code] = &[
    c("WBRI", "White British"),
    c("WIRI", "White Irish"),
    c("WIRT", "Traveller of Irish heritage"),
    c("WOTH", "Any other White background"),
    c("WROM", "Gypsy/Roma"),
    c("MWBC", "White and Black Caribbean"),
    c("MWBA", "White and Black African"),
    c("MWAS", "White and Asian"),
    c("MOTH", "Any other mixed background"),
    c("AIND", "Indian"),
    c("APKN", "Pakistani"),
    c("ABAN", "Bangladeshi"),
    c("AOTH", "Any other Asian background"),
    c("BCRB", "Caribbean"),
    c("BAFR", "African"),
    c("BOTH", "Any other Black background"),
    c("CHNE", "Chinese"),
    c("OOTH", "Any other ethnic group"),
    c("REFU", "Refused"),
    c("NOBT", "Information not yet obtained"),
];

pub static ETHNICITY: Table = Table {
    meaning: "ethnicity",
    item: "N00177",
    tag: "Ethnicity",
    codes: ETHNICITIES,
    deprecated: &[],
};

/// An ethnicity (N00177).
pub fn ethnicity(code: &str) -> Result<&'static Code, CodeError> {
    ETHNICITY.lookup(code)
}

// --- Sex ----------------------------------------------------------------------------------------

/// Sex, `<Sex>` (N00783), from the 2024 to 2025 census on (CBDS change RFC 1233). Codes: validator
/// rule 4180 (2024 to 2025) "Sex must be provided and equal M, F, or U". U is also what the census
/// requires for an unborn child (rule 8750) and what it counts as "no sex recorded" (rule
/// 2886Q); the label "Unknown" is this module's, as no source seen gives one.
pub const SEXES: &[Code] = &[c("M", "Male"), c("F", "Female"), c("U", "Unknown")];

/// The former `<GenderCurrent>` codes (to the 2023 to 2024 census; liia-tools
/// CIN_schema_2024.xsd, validator rule 4180 of 2022 to 2023, item N00097 there; the 2024 to 2025
/// specification's summary calls the old item N00007). Refused, naming the replacement.
pub const SEXES_DEPRECATED: &[Deprecated] = &[
    Deprecated {
        code: "1",
        label: "Male (former gender code)",
        use_instead: &["M"],
    },
    Deprecated {
        code: "2",
        label: "Female (former gender code)",
        use_instead: &["F"],
    },
    Deprecated {
        code: "0",
        label: "Not recorded or unborn (former gender code)",
        use_instead: &["U"],
    },
    Deprecated {
        code: "9",
        label: "Indeterminate (former gender code)",
        use_instead: &["M", "F", "U"],
    },
];

pub static SEX: Table = Table {
    meaning: "sex",
    item: "N00783",
    tag: "Sex",
    codes: SEXES,
    deprecated: SEXES_DEPRECATED,
};

/// A sex (N00783); the former gender codes 0, 1, 2 and 9 are refused as deprecated.
pub fn sex(code: &str) -> Result<&'static Code, CodeError> {
    SEX.lookup(code)
}

// --- Disability ---------------------------------------------------------------------------------

/// Disability, `<Disability>` (N00099); a child may have several, or NONE. CIN census 2025 to
/// 2026 (codes: validator rule 8540; labels: liia-tools CIN_schema_2024.xsd). DDA is the
/// catch-all for a child disabled within the meaning of the Equality Act 2010 (formerly the
/// Disability Discrimination Act, hence the code) whose disability fits none of the others.
pub const DISABILITIES: &[Code] = &[
    c("NONE", "No disability"),
    c("MOB", "Mobility"),
    c("HAND", "Hand function"),
    c("PC", "Personal care"),
    c("INC", "Incontinence"),
    c("COMM", "Communication"),
    c("LD", "Learning"),
    c("HEAR", "Hearing"),
    c("VIS", "Vision"),
    c("BEH", "Behaviour"),
    c("CON", "Consciousness"),
    c("AUT", "Autism"),
    c("DDA", "Other"),
];

pub static DISABILITY: Table = Table {
    meaning: "disability",
    item: "N00099",
    tag: "Disability",
    codes: DISABILITIES,
    deprecated: &[],
};

/// A disability (N00099).
pub fn disability(code: &str) -> Result<&'static Code, CodeError> {
    DISABILITY.lookup(code)
}

/// Every table, for listing code sets (e.g. to clients) and for checks over all of them.
pub static TABLES: &[&Table] = &[
    &REFERRAL_SOURCE,
    &PRIMARY_NEED,
    &REASON_FOR_CLOSURE,
    &FACTOR,
    &ETHNICITY,
    &SEX,
    &DISABILITY,
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn codes(t: &Table) -> Vec<&'static str> {
        t.codes.iter().map(|c| c.code).collect()
    }

    #[test]
    fn every_table_has_unique_codes_and_labels_and_no_overlap_with_deprecated() {
        for t in TABLES {
            let mut seen = HashSet::new();
            for c in t.codes {
                assert!(seen.insert(c.code), "{} repeats {}", t.item, c.code);
                assert!(
                    !c.label.trim().is_empty(),
                    "{} {} has no label",
                    t.item,
                    c.code
                );
                assert_eq!(c.code.trim(), c.code);
            }
            for d in t.deprecated {
                assert!(
                    seen.insert(d.code),
                    "{} {} both current and deprecated",
                    t.item,
                    d.code
                );
                assert!(!d.use_instead.is_empty());
                for r in d.use_instead {
                    assert!(
                        t.get(r).is_some(),
                        "{} {} → {r} is not current",
                        t.item,
                        d.code
                    );
                }
            }
        }
    }

    #[test]
    fn referral_sources() {
        assert_eq!(
            codes(&REFERRAL_SOURCE),
            [
                "1A", "1B", "1C", "1D", "2A", "2B", "3A", "3B", "3C", "3D", "3E", "3F", "4", "5A",
                "5B", "5C", "5D", "6", "7", "8", "9", "10"
            ]
        );
        assert_eq!(referral_source("2A").map(|c| c.label), Ok("Schools"));
        assert_eq!(referral_source("6").map(|c| c.label), Ok("Police"));
        assert_eq!(referral_source("9").map(|c| c.label), Ok("Anonymous"));
        assert_eq!(referral_source("10").map(|c| c.label), Ok("Unknown"));
        assert!(matches!(
            referral_source("11"),
            Err(CodeError::Unknown { .. })
        ));
        assert!(matches!(
            referral_source("5E"),
            Err(CodeError::Unknown { .. })
        ));
        assert!(matches!(
            referral_source(""),
            Err(CodeError::Unknown { .. })
        ));
    }

    #[test]
    fn primary_needs() {
        assert_eq!(
            codes(&PRIMARY_NEED),
            ["N0", "N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8", "N9"]
        );
        assert_eq!(primary_need("N1").map(|c| c.label), Ok("Abuse or neglect"));
        assert_eq!(
            primary_need("N9").map(|c| c.label),
            Ok("Cases other than children in need")
        );
        assert!(matches!(
            primary_need("N10"),
            Err(CodeError::Unknown { .. })
        ));
        assert!(matches!(primary_need("1"), Err(CodeError::Unknown { .. })));
    }

    #[test]
    fn closure_reasons_and_which_need_an_assessment() {
        assert_eq!(
            codes(&REASON_FOR_CLOSURE),
            [
                "RC1", "RC2", "RC3", "RC4", "RC5", "RC6", "RC7", "RC8", "RC9"
            ]
        );
        assert_eq!(reason_for_closure("RC2").map(|c| c.label), Ok("Died"));
        assert!(matches!(
            reason_for_closure("RC10"),
            Err(CodeError::Unknown { .. })
        ));
        assert!(matches!(
            reason_for_closure("RC0"),
            Err(CodeError::Unknown { .. })
        ));
        let needing: Vec<_> = CLOSURE_REASONS
            .iter()
            .filter(|c| closure_needs_assessment(c.code))
            .map(|c| c.code)
            .collect();
        assert_eq!(needing, ["RC8", "RC9"]);
        assert!(!closure_needs_assessment("rc8"));
        assert!(!closure_needs_assessment("RC10"));
    }

    #[test]
    fn factors() {
        assert_eq!(
            codes(&FACTOR),
            [
                "1A", "1B", "1C", "2A", "2B", "2C", "3A", "3B", "3C", "4A", "4B", "4C", "5A", "5B",
                "5C", "6A", "6B", "6C", "7A", "8B", "8C", "8D", "8E", "8F", "9A", "10A", "11A",
                "12A", "13A", "14A", "15A", "16A", "17A", "18B", "18C", "19B", "19C", "20", "21",
                "22A", "23A", "24A"
            ]
        );
        assert!(factor("16A").is_ok_and(|c| c.label.contains("neglect")));
        assert!(factor("24A").is_ok_and(|c| c.label.starts_with("Child criminal exploitation")));
        assert_eq!(factor("20").map(|c| c.label), Ok("Other"));
    }

    #[test]
    fn deprecated_factors_are_refused_as_deprecated() {
        for (code, instead) in [("18A", "18B or 18C"), ("19A", "19B or 19C")] {
            let e = factor(code).unwrap_err();
            assert!(matches!(e, CodeError::Deprecated { .. }), "{code}");
            assert_eq!(e.code(), code);
            assert_eq!(e.table().item, "N00181");
            let msg = e.to_string();
            assert!(msg.contains("deprecated"), "{msg}");
            assert!(
                msg.contains("factor identified at the end of assessment"),
                "{msg}"
            );
            assert!(msg.contains(&format!("use {instead} instead")), "{msg}");
        }
    }

    #[test]
    fn unknown_factors_are_refused_as_unknown() {
        for code in ["8A", "22", "25A", "19D", "RB", "0"] {
            let e = factor(code).unwrap_err();
            assert!(matches!(e, CodeError::Unknown { .. }), "{code}");
            let msg = e.to_string();
            assert!(
                msg.contains("is not a children in need census code"),
                "{msg}"
            );
            assert!(msg.contains("AssessmentFactors N00181"), "{msg}");
            assert!(msg.contains("1A, 1B, 1C"), "{msg}");
            assert!(
                !msg.contains("18A"),
                "deprecated codes are not offered: {msg}"
            );
        }
    }

    #[test]
    fn ethnicities() {
        assert_eq!(
            codes(&ETHNICITY),
            [
                "WBRI", "WIRI", "WIRT", "WOTH", "WROM", "MWBC", "MWBA", "MWAS", "MOTH", "AIND",
                "APKN", "ABAN", "AOTH", "BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT"
            ]
        );
        assert_eq!(ethnicity("WBRI").map(|c| c.label), Ok("White British"));
        assert_eq!(
            ethnicity("NOBT").map(|c| c.label),
            Ok("Information not yet obtained")
        );
        assert!(matches!(ethnicity("WHIT"), Err(CodeError::Unknown { .. })));
        assert!(matches!(ethnicity("ABAB"), Err(CodeError::Unknown { .. })));
    }

    #[test]
    fn sexes_and_the_former_gender_codes() {
        assert_eq!(codes(&SEX), ["M", "F", "U"]);
        assert_eq!(sex("F").map(|c| c.label), Ok("Female"));
        assert_eq!(sex("U").map(|c| c.label), Ok("Unknown"));
        for (old, new) in [
            ("1", "use M instead"),
            ("2", "use F instead"),
            ("0", "use U instead"),
        ] {
            let e = sex(old).unwrap_err();
            assert!(matches!(e, CodeError::Deprecated { .. }), "{old}");
            assert!(e.to_string().contains(new), "{e}");
        }
        assert!(
            sex("9")
                .unwrap_err()
                .to_string()
                .contains("use M or F or U instead")
        );
        assert!(matches!(sex("X"), Err(CodeError::Unknown { .. })));
        assert!(matches!(sex("Male"), Err(CodeError::Unknown { .. })));
    }

    #[test]
    fn disabilities() {
        assert_eq!(
            codes(&DISABILITY),
            [
                "NONE", "MOB", "HAND", "PC", "INC", "COMM", "LD", "HEAR", "VIS", "BEH", "CON",
                "AUT", "DDA"
            ]
        );
        assert_eq!(disability("AUT").map(|c| c.label), Ok("Autism"));
        assert_eq!(disability("NONE").map(|c| c.label), Ok("No disability"));
        assert!(matches!(
            disability("BLIND"),
            Err(CodeError::Unknown { .. })
        ));
    }

    #[test]
    fn codes_are_case_sensitive_with_a_hint() {
        let e = ethnicity("wbri").unwrap_err();
        assert!(matches!(e, CodeError::Unknown { .. }));
        let msg = e.to_string();
        assert!(msg.contains("did you mean \"WBRI\""), "{msg}");
        assert!(msg.contains("ethnicity (Ethnicity N00177)"), "{msg}");
        assert!(
            factor(" 1a")
                .unwrap_err()
                .to_string()
                .contains("did you mean \"1A\"")
        );
        // No hint when upper-casing does not help.
        assert!(
            !factor("zz")
                .unwrap_err()
                .to_string()
                .contains("did you mean")
        );
    }

    #[test]
    fn unknown_message_lists_the_valid_codes() {
        let msg = referral_source("11").unwrap_err().to_string();
        assert_eq!(
            msg,
            "\"11\" is not a children in need census code for source of referral \
             (ReferralSource N00152); valid codes: 1A, 1B, 1C, 1D, 2A, 2B, 3A, 3B, 3C, 3D, 3E, \
             3F, 4, 5A, 5B, 5C, 5D, 6, 7, 8, 9, 10"
        );
    }
}
