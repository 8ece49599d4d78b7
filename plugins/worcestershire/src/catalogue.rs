//! Appendix 1 - Levels of Need Examples: every example of every level's table, as indicators.
//!
//! The text file holds the tables flattened: the items of a cell run together on one line, with
//! no separators, and the sub-headings that sit inside a cell ("Emotional and Behavioural
//! Development" and "Identity" inside the Education cell, "Social Presentation" inside the Family
//! & Social Relationships cell) appear inline among them. Each item below is one example, split
//! where a new example starts (a new capital letter beginning a new need; "acute, severe and
//! enduring ..." at level 3 starts in lower case in the text and is its own example). The only
//! exact duplicate in the text ("Conception aged under 16", repeated on the next line at level
//! 3) is listed once.
//!
//! The level 4 table is the most disturbed: its area labels are centred in their cells, so they
//! fall in the middle of their items. Items are assigned to the area whose inline sub-heading or
//! centred label surrounds them; see the notes on each area.
//!
//! Codes are `WOR-L<level>-<AREA>-<nn>`, numbered in the order the text lists the items; they
//! are stable as long as the text is.

use continuum_plugin_api::pb::{Domain, Indicator};

use crate::source::{app1_level, c};

/// One area (sub-heading) of one level's table.
pub(crate) struct Area {
    pub level: u32,
    pub domain: Domain,
    /// Short code used in indicator codes.
    pub code: &'static str,
    /// The sub-heading as the text gives it (the text's "Functionioning" is read "Functioning").
    pub label: &'static str,
    pub items: &'static [&'static str],
}

const CDN: Domain = Domain::ChildDevelopmentalNeeds;
const PC: Domain = Domain::ParentingCapacity;
const FEF: Domain = Domain::FamilyAndEnvironmentalFactors;

const HEALTH: (&str, &str) = ("HEALTH", "Health");
const EDUCATION: (&str, &str) = ("EDUCATION", "Education");
const EBD: (&str, &str) = ("EBD", "Emotional and Behavioural Development");
const IDENTITY: (&str, &str) = ("IDENTITY", "Identity");
const FSR: (&str, &str) = ("FSR", "Family & Social Relationships");
const PRESENTATION: (&str, &str) = ("PRESENTATION", "Social Presentation");
const FAMILY: (&str, &str) = ("FAMILY", "Family History & Functioning");
const HOUSING: (&str, &str) = ("HOUSING", "Housing, Employment & Finance");
const COMMUNITY: (&str, &str) = (
    "COMMUNITY",
    "Families Social Integration / Accessing Community Services",
);
const BASIC_CARE: (&str, &str) = ("BASICCARE", "Basic Care, Safety and Protection");
const CARERS: (&str, &str) = ("CARERS", "Parent & Carers Basic Care, Safety & Protection");

const fn area(
    level: u32,
    domain: Domain,
    (code, label): (&'static str, &'static str),
    items: &'static [&'static str],
) -> Area {
    Area {
        level,
        domain,
        code,
        label,
        items,
    }
}

/// The whole of Appendix 1, level by level, in the text's order.
pub(crate) const AREAS: &[Area] = &[
    // ------------------------------------------------------------------------------------------
    // LEVEL ONE Level of Need: Universal Services
    // ------------------------------------------------------------------------------------------
    area(
        1,
        CDN,
        HEALTH,
        &[
            "Meeting development milestones, including speech and language",
            "Physically and psychologically well",
            "Adequate diet/hygiene/clothing",
            "Mental Health managed effectively by child or young person",
            "Accesses health services, including dental and optical care",
            "Participating in general healthy and safe relationships",
        ],
    ),
    area(
        1,
        CDN,
        EDUCATION,
        &[
            "Attends school / college regularly",
            "No barriers to learning",
            "Achieving key stages",
        ],
    ),
    area(
        1,
        CDN,
        EBD,
        &[
            "Good quality early attachments",
            "Growing competencies in practical and emotional skills",
            "No substance misuse",
        ],
    ),
    area(
        1,
        CDN,
        IDENTITY,
        &[
            "Positive sense of self and abilities",
            "Demonstrates feelings of belonging and acceptance",
        ],
    ),
    area(
        1,
        CDN,
        FSR,
        &[
            "Stable and affectionate relationships with care givers",
            "Good relationships with siblings",
            "Positive relationships with peers",
        ],
    ),
    area(
        1,
        CDN,
        PRESENTATION,
        &[
            "Appropriately dressed for different settings",
            "Good level of personal hygiene",
        ],
    ),
    area(
        1,
        FEF,
        FAMILY,
        &[
            "Supportive family relationships, including when parents are separated",
            "Extended family members provide support to the child",
        ],
    ),
    area(
        1,
        FEF,
        HOUSING,
        &[
            "Housing has basic amenities and appropriate facilities",
            "Parents aspirational for their child",
            "Not living in poverty, sufficient income",
        ],
    ),
    area(
        1,
        FEF,
        COMMUNITY,
        &[
            "Social and friendship networks are strong and the family will demand services if they are needed",
            "Family able to access community services",
        ],
    ),
    area(
        1,
        PC,
        BASIC_CARE,
        &["Carers able to provide for the child's physical needs and protect from danger and Harm"],
    ),
    area(
        1,
        PC,
        CARERS,
        &[
            "Carers provide warmth, praise and encouragement and a stable environment",
            "Carers support development through interaction and play",
            "Carers provide appropriate guidance and boundaries",
        ],
    ),
    // ------------------------------------------------------------------------------------------
    // LEVEL TWO Level of Need: Additional Support
    // ------------------------------------------------------------------------------------------
    area(
        2,
        CDN,
        HEALTH,
        &[
            "Slow in reaching development milestones, short interventions make improvements",
            "Minor concerns re: diet/dental health/hygiene/clothing",
            "Mild to moderate mental health problems including - low mood, anxiety",
            "Missing health checks/immunisations",
            "Child with a disability and requiring support services",
            "Starting to have sex (under 16) / risk of pregnancy",
        ],
    ),
    area(
        2,
        CDN,
        EDUCATION,
        &[
            "Occasional truanting or non-attendance, poor punctuality",
            "Not in education, employment or training (NEET)",
            "Child identified as having additional learning needs",
            "At risk of exclusion and on a school attendance plan",
            "Few opportunities for play /socialisation",
            "Identified language and communication difficulties",
            "Not achieving educational potential",
        ],
    ),
    area(
        2,
        CDN,
        EBD,
        &[
            "Low level mental health or emotional issues",
            "Involved in behaviour that is seen as anti-social (low-level)",
        ],
    ),
    area(
        2,
        CDN,
        IDENTITY,
        &[
            "Some insecurities around identity",
            "May experience bullying/isolation around perceived difference, or bully others",
        ],
    ),
    area(
        2,
        CDN,
        FSR,
        &[
            "Undertaking some caring responsibilities occasionally",
            "Loss of significant parent/carer",
            "Young parent in need of some practical advice and support",
            "Low parental aspirations",
            "Child worried about sibling rivalries",
            "Some difficulties with peers",
        ],
    ),
    area(
        2,
        CDN,
        PRESENTATION,
        &[
            "Inappropriately dressed but this can be resolved with advice",
            "Poor personal hygiene",
        ],
    ),
    area(
        2,
        FEF,
        FAMILY,
        &[
            "Parents have relationship difficulties which may affect the child",
            "Child has support from key extended family such as grandparents and aunties / uncles",
        ],
    ),
    area(
        2,
        FEF,
        HOUSING,
        &[
            "Family affected by low income / unemployment / redundancy",
            "Poor housing / home conditions",
        ],
    ),
    area(
        2,
        FEF,
        COMMUNITY,
        &[
            "Some social exclusion problems",
            "Family unable to engage in local Services",
            "Parents with additional needs and vulnerable themselves",
        ],
    ),
    // The text's domain label here is garbled ("ring :ITY"); the rows are the parenting
    // capacity rows ("PARENTING" on the next line).
    area(
        2,
        PC,
        BASIC_CARE,
        &[
            "Parent requires advice on parenting issues",
            "Some basic needs unmet but most of the time a good quality of care is provided",
            "Professionals suspect possibility of low level substance misuse by adults within the Home",
        ],
    ),
    area(
        2,
        PC,
        CARERS,
        &[
            "Sometimes inappropriate expectations of child / young person for age/ability",
            "Inconsistent parenting but parents respond well to advice and support",
            "Parents need help to understand the importance of activities and play in the child's development",
            "May have different carers where inconsistent boundaries offered.",
        ],
    ),
    // ------------------------------------------------------------------------------------------
    // LEVEL THREE (heading garbled: "Need: Threshold to work with partners as Targeted Support")
    // ------------------------------------------------------------------------------------------
    area(
        3,
        CDN,
        HEALTH,
        &[
            "There is a threat to achievement of developmental milestones due to family or environmental factors",
            "Has some chronic / recurring health problems or terminal illness",
            "Concerns about diet/hygiene/clothing impacting on child's emotional well-being",
            "acute, severe and enduring mental health problems including conduct and oppositional defiant disorder, compulsive / obsessive disorder, eating disorder, suicide ideation",
            "Non engagement with ante-natal appointments",
            "Missing routine and non-routine health appointments for child / young person",
            "Parents not responding appropriately to child's health needs impacting upon the wellbeing of the child",
            "Child with a disability that requires multi-agency support services",
            "Conception aged under 16",
            "CSE risk screened as vulnerable to CSE",
        ],
    ),
    area(
        3,
        CDN,
        EDUCATION,
        &[
            "Persistent truanting, poor school attendance, previous fixed term exclusions",
            "Persistently not in education, employment or training (NEET)",
            "Permanently excluded from school or at risk of permanent exclusion",
            "Education Health & Care Plan",
            "Persistent low achievement requiring multi-agency support",
        ],
    ),
    area(
        3,
        CDN,
        EBD,
        &[
            "Difficulty coping with anger, frustration and upset",
            "Starting to go missing from home",
            "Offending or regular anti-social behaviour",
            "Problematic substance misuse",
            "Hostile and physically aggressive to other children and adults",
        ],
    ),
    area(
        3,
        CDN,
        IDENTITY,
        &[
            "Subject to discrimination and or bullying",
            "Child experiencing difficulties with their own or their family's race, culture, religion, or sexuality",
        ],
    ),
    area(
        3,
        CDN,
        FSR,
        &[
            "Regularly needed to care for another family member",
            "Child experiencing difficulties with separation, bereavement and loss",
            "Young parent's who need additional support e.g. family nurse partnership",
        ],
    ),
    area(
        3,
        CDN,
        PRESENTATION,
        &[
            "Persistently inappropriately dressed for the weather",
            "Persistent poor hygiene resulting in social isolation from peers",
        ],
    ),
    area(
        3,
        FEF,
        FAMILY,
        &[
            "Persistent disputes and hostility between parents, domestic abuse impacting on the child",
            "Family seeking asylum / refugee",
            "Parents require specific intervention regarding boundaries, discipline and routines for their children",
        ],
    ),
    area(
        3,
        FEF,
        HOUSING,
        &[
            "Overcrowding, temporary accommodation, risk of homelessness",
            "Home conditions need improving for the child / young person",
            "Serious debts / poverty impacting on ability to care for the child, finance the home, food etc",
        ],
    ),
    area(
        3,
        FEF,
        COMMUNITY,
        &[
            "Family socially excluded",
            "Escalating victimisation",
            "Criminal activity due to drug, alcohol, aggression, mental health",
        ],
    ),
    area(
        3,
        PC,
        BASIC_CARE,
        &[
            "Parent is unable to provide adequate care without needing support from a number of agencies",
            "Parents with learning disabilities or cognitive functioning additional needs",
            "Parental learning disability is impacting on ability to provide care",
            "Parents have a substance misuse problem (including alcohol) impacting on parenting ability",
            "Teenage parents who themselves were subject to Child Protection plan or Looked After.",
        ],
    ),
    area(
        3,
        PC,
        CARERS,
        &[
            "Child is often scapegoated by parents / family",
            "Child receives inconsistent care / has multiple care givers",
            "Child is rarely comforted when distressed",
            "Parents lack empathy for child",
        ],
    ),
    // ------------------------------------------------------------------------------------------
    // LEVEL FOUR Level of Need: Criteria for Statutory Social Work Intervention
    // ------------------------------------------------------------------------------------------
    // The "Health" label falls after the sixth of these eleven items (centred in its cell).
    // "Sexual exploitation. CSE risk screened as experiencing CSE" is one example, as the
    // level 3 "CSE risk screened as vulnerable to CSE" is.
    area(
        4,
        CDN,
        HEALTH,
        &[
            "There is likelihood of significant harm to child's health and development",
            "Have severe chronic/recurring health problems, including severe obesity and dental decay unresolved by early help interventions.",
            "Fabricated/induced illness",
            "Non-organic failure to thrive",
            "Female Genital Mutilation (FGM)",
            "Concerns about diet/hygiene / clothing, persistent and severe and not improving following early help interventions at level 3",
            "Immediate or imminent risk to the child or young person's life or the life of others due to mental health problems e.g. self-harm, suicide ideation or attempts, eating disorders",
            "Persistent non-compliance even though parents are aware of short and long term implications which are likely to cause significant harm – Physical and / or emotional",
            "Child with disabilities meeting the criteria for social care intervention",
            "Sexual activity under the age of 13",
            "Sexual exploitation. CSE risk screened as experiencing CSE",
        ],
    ),
    // The items of the Education cell that come before its inline "Emotional and Behavioural
    // Development" sub-heading.
    area(
        4,
        CDN,
        EDUCATION,
        &[
            "Persistent exclusions for behavior, non-attendance, co-operation in school",
            "Drug and alcohol abuse / suspected dealing",
            "Significant development delay due to neglect / poor parenting",
        ],
    ),
    area(
        4,
        CDN,
        EBD,
        &[
            "Puts self or others in danger",
            "Child abuses other children e.g. physically, sexually",
            "Young people who are charged with a crime and go to court and/or are convicted of a crime and given a sentence",
            "Endangers own life",
        ],
    ),
    // The last item sits between the inline "Identity" sub-heading and the first item of the
    // Family & Social Relationships cell.
    area(
        4,
        CDN,
        IDENTITY,
        &[
            "Persistently demonstrates extremist views e.g. radicalisation",
            "A child or young person's association with others places them at risk e.g. gangs",
            "Multi-agency interventions are not working and the child is suffering or likely to suffer significant harm",
        ],
    ),
    area(
        4,
        CDN,
        FSR,
        &[
            "Child in care or care leaver",
            "Family breakdown and need for edge of care / accommodation",
            "Deceased parents and no arrangements to care for the child",
            "Privately fostered children / young people",
            "Teenage parent who is a subject of Child protection plan or is a child looked after",
            "High criticism, low warmth resulting in emotional harm",
            "Domestic abuse impacting on the safety and welfare of children",
            "Frequent aggression and violence",
            "Criminal activity",
        ],
    ),
    // The text lists both under the "Social Presentation" sub-heading, although the second reads
    // as a parental need; it is kept where the text puts it.
    area(
        4,
        CDN,
        PRESENTATION,
        &[
            "Poor hygiene persistent and chronic despite advice and support at level 3",
            "Persistent ongoing mental health needs impacting on the ability to safely and appropriately care for children.",
        ],
    ),
    area(
        4,
        FEF,
        FAMILY,
        &[
            "Honor based violence/forced marriage",
            "Evidence of ongoing domestic abuse impacting upon the care and wellbeing of the children /young person.",
            "Person posing a risk to children (PPRC) in contact with children",
            "Special Guardianship Order applied for",
            "Radicalisation",
            "Toxic trio: mental health, drugs/alcohol and domestic abuse",
            "Child privately fostered cared for by non-relative",
            "Previous history of children removed/adopted / Child Protection Plan.",
        ],
    ),
    area(
        4,
        FEF,
        HOUSING,
        &[
            "Physical accommodation places child in danger.",
            "No fixed abode or homeless",
            "Homeless young people - Southwark",
            "No recourse to public funds",
        ],
    ),
    area(
        4,
        FEF,
        COMMUNITY,
        &[
            "Family chronically socially excluded likely to cause significant harm to the child",
            "Children from families experiencing a crisis likely to result in a breakdown of care arrangements.",
            "Anti-social behavior in community of parents",
            "Family have not engaged / not demonstrated significant or sustainable changes in the timescales for the child given level 3 intervention and support",
        ],
    ),
    // Everything before the line carrying the "Parent & Carers Basic Care, Safety & Protection"
    // label is read as Basic Care, Safety and Protection.
    area(
        4,
        PC,
        BASIC_CARE,
        &[
            "Parents unable to protect their children and cannot prioritise the child's needs over their own",
            "Severe or long term harm has been or is likely to be done to the child and/or the parents / carers are unwilling or unable to engage in work to improve care provided.",
            "Children subject to care proceedings including children / young people subject to care order, wordship, EPO, supervision order or remanded to LA care.",
            "Failure to provide good quality care across most of the child's needs most of the time",
            "Transferring in cases from other Local Authorities e.g. CIN and CP, Final Court orders",
            "Child or young person is likely to suffer significant harm or the likelihood of this happening due to the level of care being given them by their parents or carers",
        ],
    ),
    area(
        4,
        PC,
        CARERS,
        &[
            "Missing from home or care",
            "Child is rejected or abandoned including subject to police protection.",
            "Parents are negative and abusive, verbally, emotionally and/or mentally and / or sexually, towards the child.",
            "Physical chastisement of child/ young person.",
            "Parental anti-social and criminal activity that has an impact on the child / young person.",
        ],
    ),
];

/// The citation quote of an item: the item itself, except where the flattened text interleaves a
/// fragment of a neighbouring label inside it, when the quote marks the break with " ... ".
fn quote_of(text: &'static str) -> &'static str {
    match text {
        "Children from families experiencing a crisis likely to result in a breakdown of care arrangements." => {
            "Children from families experiencing a crisis likely to result in a breakdown of care ... arrangements."
        }
        "Child or young person is likely to suffer significant harm or the likelihood of this happening due to the level of care being given them by their parents or carers" => {
            "Child or young person is likely to suffer significant harm or the likelihood of this ... happening due to the level of care being given them by their parents or carers"
        }
        _ => text,
    }
}

/// The indicator code of item `index` (0-based) of an area.
fn code(area: &Area, index: usize) -> String {
    format!("WOR-L{}-{}-{:02}", area.level, area.code, index + 1)
}

/// The level code of a rank.
pub(crate) fn level_code(rank: u32) -> String {
    format!("L{rank}")
}

/// Every indicator, in the text's order.
pub(crate) fn indicators() -> Vec<Indicator> {
    AREAS
        .iter()
        .flat_map(|a| {
            a.items.iter().enumerate().map(move |(i, text)| Indicator {
                code: code(a, i),
                level_code: level_code(a.level),
                domain: a.domain as i32,
                area: a.label.to_owned(),
                text: (*text).to_owned(),
                citation: Some(c(&app1_level(a.level), quote_of(text))),
            })
        })
        .collect()
}

/// What the threshold rules need to know of a matched indicator.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry {
    pub level: u32,
    pub domain: Domain,
    pub area: &'static str,
    pub text: &'static str,
    /// The citation quote (see [`quote_of`]).
    pub quote: &'static str,
}

/// Find an indicator by code: a walk over the constant tables above (no cache, no global state).
pub(crate) fn lookup(code: &str) -> Option<Entry> {
    let rest = code.strip_prefix("WOR-L")?;
    let (level, rest) = rest.split_once('-')?;
    let (area_code, number) = rest.rsplit_once('-')?;
    // Codes are always two digits; "WOR-L3-HEALTH-2" is not a code.
    if number.len() != 2 || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let index = number.parse::<usize>().ok()?.checked_sub(1)?;
    let level = level.parse::<u32>().ok()?;
    let area = AREAS
        .iter()
        .find(|a| a.level == level && a.code == area_code && code_level_is_canonical(a, code))?;
    let text = area.items.get(index)?;
    Some(Entry {
        level: area.level,
        domain: area.domain,
        area: area.label,
        text,
        quote: quote_of(text),
    })
}

/// Rejects non-canonical spellings of the level ("WOR-L03-...").
fn code_level_is_canonical(area: &Area, code: &str) -> bool {
    code.starts_with(&format!("WOR-L{}-{}-", area.level, area.code))
}
