//! The source text and its section headings, and the citation helper every rule uses.

use continuum_plugin_api::{cite, pb::Citation};

/// Worcestershire "Multi Agency Levels of Need: Guidance to help support children, young people
/// and families in Worcestershire", May 2019 (Updated).
pub(crate) const SOURCE: &str = "shared/seeds/001_e8fa8c619eac9618.txt";

/// The seed file's name: the document's reference.
pub(crate) const SOURCE_FILE: &str = "001_e8fa8c619eac9618.txt";

/// The text's own title, as it opens the document.
pub(crate) const TITLE: &str = "Multi Agency Levels of Need: Guidance to help support children, young people and families in Worcestershire";

// Section headings, exactly as the text gives them.
pub(crate) const S_TITLE: &str = "Title page";
pub(crate) const S_INTRO: &str = "1. Introduction";
pub(crate) const S_JUDGEMENT: &str = "3. Making a professional judgement about levels of need";
pub(crate) const S_INFO: &str = "4. Information Sharing";
pub(crate) const S_EQUALITY: &str = "5. Equality and Diversity";
pub(crate) const S_LEVELS: &str = "6. Levels of Need";
pub(crate) const S_EARLY_HELP: &str = "7. Early Help in Worcestershire";
pub(crate) const S_APP1: &str = "Appendix 1 - Levels of Need Examples";
pub(crate) const S_APP2: &str = "Appendix 2 - Safeguarding Children's Social Care Pathway";
pub(crate) const S_APP3: &str = "Appendix 3 - Early Help Pathway";
pub(crate) const S_APP4: &str = "Appendix 4 - Step Up to Social Work (level 4) from Targeted Family Support (TFS) Team Leaders and Early Intervention Family Support (EIFS) Coordinators";
pub(crate) const S_APP5: &str = "Appendix 5 - Step Down from Children's Social Care Teams to Targeted Family Support (TFS) / Early Intervention Family Support (EIFS)";
pub(crate) const S_APP6: &str = "Appendix 6 - When professionals have safeguarding concerns on Targeted Family Support (TFS) and Early Intervention Family Support (EIFS) Team open cases";

/// Cite the Worcestershire text: `section` as headed above, `quote` the words relied on.
///
/// Quotes are verbatim excerpts. Where the flattened text interleaves two columns of a flow
/// chart (Appendices 4 and 6), the excerpt joins the pieces of one sentence with " ... ".
pub(crate) fn c(section: &str, quote: &str) -> Citation {
    cite(SOURCE, section, quote)
}

/// The section heading of one level's table in Appendix 1.
pub(crate) fn app1_level(rank: u32) -> String {
    format!("{S_APP1}: Level {rank}")
}
