//! `lshmc -V`: the HMC's own software level.

use super::record::parse_records;
use crate::estate::HmcVersion;
use crate::sources::{HostError, Parsed};

/// Parses `lshmc -V`: one record whose `version` value spans lines
/// (`Version: 7`, `Release: 7.9.0`, `Service Pack: 3`, `HMC Build level ...`, fixes).
pub fn parse_hmc_version(text: &str) -> Result<Parsed<HmcVersion>, HostError> {
    let records = parse_records(text)?;
    let mut parsed = Parsed {
        items: Vec::new(),
        diagnostics: records.diagnostics,
    };
    let Some(record) = records.items.into_iter().next() else {
        if parsed.diagnostics.is_empty() {
            parsed.warn(1, text, "no version record");
        }
        return Ok(parsed);
    };
    let mut version = HmcVersion {
        base_version: record.get("base_version").map(|v| v.trim().to_string()),
        ..HmcVersion::default()
    };
    let Some(body) = record.get("version") else {
        parsed.warn(record.line, "", "lshmc -V record has no version attribute");
        return Ok(parsed);
    };
    for line in body.lines().map(str::trim).filter(|line| !line.is_empty()) {
        let value = |prefix: &str| line.strip_prefix(prefix).map(|v| v.trim().to_string());
        if let Some(v) = value("Version:") {
            version.version = Some(v);
        } else if let Some(v) = value("Release:") {
            version.release = Some(v);
        } else if let Some(v) = value("Service Pack:") {
            version.service_pack = Some(v);
        } else if let Some(v) = value("HMC Build level").or_else(|| value("Build level:")) {
            version.build_level = Some(v.trim_start_matches(':').trim().to_string());
        } else if line.contains(':') {
            version.fixes.push(line.to_string());
        }
    }
    parsed.items.push(version);
    Ok(parsed)
}
