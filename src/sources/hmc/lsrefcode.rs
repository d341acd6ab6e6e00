//! `lsrefcode -r lpar|sys`: reference codes (boot progress, failures).

use super::convert::{number, text, FromRecord};
use super::record::Record;
use crate::estate::ReferenceCode;

impl FromRecord for ReferenceCode {
    fn from_record(record: &mut Record) -> Result<Self, String> {
        let mut code = ReferenceCode {
            lpar_name: None,
            lpar_id: None,
            time_stamp: None,
            refcode: String::new(),
            words: Vec::new(),
        };
        let mut seen_refcode = false;
        for (key, value) in record.attributes.iter() {
            match key {
                "lpar_name" => code.lpar_name = text(value),
                "lpar_id" => code.lpar_id = number(value),
                "time_stamp" => code.time_stamp = text(value),
                "refcode" => {
                    seen_refcode = true;
                    code.refcode = value.to_string();
                }
                word if word
                    .strip_prefix("word")
                    .is_some_and(|n| n.parse::<u8>().is_ok()) =>
                {
                    code.words.push(value.to_string())
                }
                _ => {}
            }
        }
        if !seen_refcode {
            return Err("record has no refcode".into());
        }
        Ok(code)
    }
}
