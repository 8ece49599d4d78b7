//! The child's national identifiers: the NHS number and the Department for Education's Unique
//! Pupil Number (UPN). Each check takes the text as entered and returns either its canonical form
//! or the problem in words, fit to go into a field violation.
//!
//! - NHS number: 10 digits, the tenth a modulus 11 check digit over the first nine (weights 10
//!   down to 2; check = 11 − (sum mod 11), where 11 becomes 0 and 10 means no valid number).
//!   Written either without spaces ("9434765919") or grouped 3 3 4 with single spaces
//!   ("943 476 5919"); the canonical form is the 10 digits.
//! - UPN: 13 characters: a check letter, 11 digits, then a digit or (for a temporary UPN) a
//!   letter. Letters come from "ABCDEFGHJKLMNPQRTUVWXYZ" (no I, O or S), upper case only. The
//!   check letter is that alphabet's entry at (Σ value × position, positions 2 to 13) mod 23,
//!   where a digit's value is itself and a letter's value is its index in the alphabet (DfE,
//!   "Unique pupil numbers (UPN)" guidance; CIN census validation rules 1510 and 1550). Whether
//!   characters 2 to 4 name a real local authority (CIN rule 1530) is not checked here.

/// The letters a UPN may contain, in check-letter order: A–Z without I, O and S.
const UPN_LETTERS: &[u8; 23] = b"ABCDEFGHJKLMNPQRTUVWXYZ";

const NHS_SHAPE: &str =
    "an NHS number is 10 digits, written without spaces or grouped 3 3 4 (e.g. \"943 476 5919\")";

/// Checks an NHS number (England and Wales) and returns its canonical form, the 10 digits
/// without spaces. Accepts "9434765919" and "943 476 5919"; anything else (other spacing,
/// hyphens, letters, surrounding white space) is refused.
pub fn nhs_number(value: &str) -> Result<String, &'static str> {
    let bytes = value.as_bytes();
    let digits: Vec<u8> = match bytes.len() {
        10 => bytes.to_vec(),
        12 if bytes[3] == b' ' && bytes[7] == b' ' => bytes
            .iter()
            .enumerate()
            .filter(|&(i, _)| i != 3 && i != 7)
            .map(|(_, &b)| b)
            .collect(),
        _ => return Err(NHS_SHAPE),
    };
    if !digits.iter().all(u8::is_ascii_digit) {
        return Err(NHS_SHAPE);
    }
    let value_of = |i: usize| u32::from(digits[i] - b'0');
    let sum: u32 = (0..9).map(|i| value_of(i) * (10 - i as u32)).sum();
    let check = match 11 - sum % 11 {
        11 => 0,
        10 => {
            return Err(
                "not a valid NHS number: its first nine digits give no check digit (modulus 11)",
            );
        }
        c => c,
    };
    if check != value_of(9) {
        return Err("not a valid NHS number: the check digit (the tenth) is wrong");
    }
    // Only ASCII digits remain, so this cannot fail; map rather than unwrap all the same.
    String::from_utf8(digits).map_err(|_| NHS_SHAPE)
}

/// The value a UPN character carries in the check sum: a digit is itself, a letter its index in
/// [`UPN_LETTERS`]. None for a character a UPN never contains.
fn upn_value(b: u8) -> Option<u32> {
    if b.is_ascii_digit() {
        Some(u32::from(b - b'0'))
    } else {
        UPN_LETTERS
            .iter()
            .position(|&l| l == b)
            .and_then(|i| u32::try_from(i).ok())
    }
}

/// The check letter for the 12 characters after it (positions 2 to 13), or None if any of them
/// is not a UPN character.
fn upn_check_letter(rest: &[u8]) -> Option<u8> {
    let mut sum = 0u32;
    for (position, &b) in (2u32..).zip(rest) {
        sum += upn_value(b)? * position;
    }
    UPN_LETTERS.get((sum % 23) as usize).copied()
}

/// Checks a Unique Pupil Number (permanent or temporary) and returns it unchanged. Upper case
/// only: the DfE specifies upper-case letters and a lower-case UPN is refused, not folded.
pub fn upn(value: &str) -> Result<String, &'static str> {
    let b = value.as_bytes();
    if b.len() != 13 {
        return Err("a UPN is 13 characters: a check letter, 11 digits, then a digit or a letter");
    }
    if b.iter().any(u8::is_ascii_lowercase) {
        return Err("a UPN is written in upper case");
    }
    if !UPN_LETTERS.contains(&b[0]) {
        return Err("a UPN starts with a check letter (A to Z, never I, O or S)");
    }
    if !b[1..12].iter().all(u8::is_ascii_digit) {
        return Err("characters 2 to 12 of a UPN are digits");
    }
    if !(b[12].is_ascii_digit() || UPN_LETTERS.contains(&b[12])) {
        return Err(
            "character 13 of a UPN is a digit or (for a temporary UPN) a letter other than I, O or S",
        );
    }
    if upn_check_letter(&b[1..]) != Some(b[0]) {
        return Err("not a valid UPN: the check letter (character 1) is wrong");
    }
    Ok(value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nhs_numbers_with_right_check_digits_are_accepted() {
        for n in ["9434765919", "4010232137", "9434765870", "4505577104"] {
            assert_eq!(nhs_number(n).as_deref(), Ok(n), "{n}");
        }
    }

    #[test]
    fn nhs_number_spaced_3_3_4_is_normalised() {
        assert_eq!(nhs_number("943 476 5919").as_deref(), Ok("9434765919"));
        assert_eq!(nhs_number("401 023 2137").as_deref(), Ok("4010232137"));
    }

    #[test]
    fn nhs_number_check_digit_eleven_becomes_zero() {
        // 2 at weight 10 and 1 at weight 2: 22 ≡ 0 (mod 11) → 11 − 0 = 11 → check digit 0.
        assert_eq!(nhs_number("2000000010").as_deref(), Ok("2000000010"));
        // 9434765870: 308 ≡ 0 → check digit 0.
        assert_eq!(nhs_number("943 476 5870").as_deref(), Ok("9434765870"));
    }

    #[test]
    fn nhs_number_with_wrong_check_digit_is_refused() {
        let e = nhs_number("9434765918").unwrap_err();
        assert!(e.contains("check digit"), "{e}");
        assert!(nhs_number("4010232138").is_err());
        // A transposition is caught.
        assert!(nhs_number("9434765991").is_err());
    }

    #[test]
    fn nhs_number_whose_check_would_be_ten_is_refused() {
        // 1 at weight 10 and 1 at weight 2: 12 ≡ 1 (mod 11) → 11 − 1 = 10: no valid number.
        for last in 0..=9 {
            let n = format!("100000001{last}");
            let e = nhs_number(&n).unwrap_err();
            assert!(e.contains("no check digit"), "{n}: {e}");
        }
    }

    #[test]
    fn nhs_number_of_wrong_shape_is_refused() {
        for n in [
            "",
            "943476591",
            "94347659190",
            "943 4765919",
            "9434 765 919",
            "943  476 5919",
            "943-476-5919",
            " 9434765919",
            "9434765919 ",
            "94347659A9",
            "943 476 591A",
            "９４３４７６５９１９",
        ] {
            let e = nhs_number(n).unwrap_err();
            assert!(e.contains("10 digits"), "{n:?}: {e}");
        }
    }

    #[test]
    fn upns_with_right_check_letters_are_accepted() {
        // B801200005001: python-stdnum's example; the others from the CIN validator's rule 1510
        // tests (data-to-insight csc-validator-be-cin).
        for u in [
            "B801200005001",
            "A950000178301",
            "H243278544154",
            "X845212818005",
        ] {
            assert_eq!(upn(u).as_deref(), Ok(u), "{u}");
        }
    }

    #[test]
    fn temporary_upns_ending_in_a_letter_are_accepted() {
        // Computed here: 8·2+0·3+1·4+2·5+0+0+0+0+5·10+0+0+A(0)·13 = 80 ≡ 11 → M.
        assert_eq!(upn("M80120000500A").as_deref(), Ok("M80120000500A"));
        // 9·2+3·3+6·4+1·5+2·6+3·7+4·8+5·9+6·10+7·11+8·12+Z(22)·13 = 685 ≡ 18 → V.
        assert_eq!(upn("V93612345678Z").as_deref(), Ok("V93612345678Z"));
        assert_eq!(upn("N20112345678T").as_deref(), Ok("N20112345678T"));
    }

    #[test]
    fn upn_with_wrong_check_letter_is_refused() {
        for u in [
            "A801200005001",
            "R247962919251",
            "X428558133462",
            "N80120000500A",
        ] {
            let e = upn(u).unwrap_err();
            assert!(e.contains("check letter"), "{u}: {e}");
        }
    }

    #[test]
    fn upn_of_wrong_length_is_refused() {
        for u in ["", "B80120000500", "B8012000050011", "R325"] {
            let e = upn(u).unwrap_err();
            assert!(e.contains("13 characters"), "{u:?}: {e}");
        }
    }

    #[test]
    fn lower_case_upn_is_refused() {
        assert_eq!(upn("b801200005001"), Err("a UPN is written in upper case"));
        assert_eq!(upn("M80120000500a"), Err("a UPN is written in upper case"));
    }

    #[test]
    fn upn_with_forbidden_or_misplaced_characters_is_refused() {
        // I, O and S are never used, as check letter or as character 13.
        assert!(
            upn("I801200005001")
                .unwrap_err()
                .contains("never I, O or S")
        );
        assert!(
            upn("O801200005001")
                .unwrap_err()
                .contains("never I, O or S")
        );
        assert!(upn("M80120000500S").unwrap_err().contains("character 13"));
        assert!(upn("M80120000500I").unwrap_err().contains("character 13"));
        // A digit where the check letter goes, a letter among the 11 digits.
        assert!(upn("1801200005001").unwrap_err().contains("check letter"));
        assert!(upn("X80120000A001").unwrap_err().contains("digits"));
        assert!(upn("ASFFAGSVSV123").unwrap_err().contains("digits"));
        assert!(upn("B8012000050 1").unwrap_err().contains("digits"));
    }
}
