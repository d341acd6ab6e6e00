//! `powerdeck inventory`: one full refresh printed as JSON or CSV (README.md, "Config,
//! inventory and plans").
//!
//! JSON field names are the HMC/AIX/NIM attribute names; values keep the hosts'
//! spelling. CSV is one table per object kind, each preceded by a `# kind` line and a
//! header row, tables separated by a blank line: `sources`, `systems`, `lpars`,
//! `rspool_devices`, `wpars`, `nim_objects` (NIM attributes as `name=value` pairs joined
//! by `;`).
//!
//! Both are printed to a terminal and opened in spreadsheets, and every value comes from a
//! host. JSON escapes every control character of [`text::is_control`]; a CSV cell shows
//! them with [`text::visible`] (a backslash that could start an escape is doubled), and a
//! cell a spreadsheet would read as a formula gets a leading `'` (see `csv_cell`).

use std::fmt::Write;
use std::time::{SystemTime, UNIX_EPOCH};

use jiff::Timestamp;
use serde::Serialize;

use crate::estate::{SourceData, SourceSnapshot, SourceStatus};
use crate::text;

/// The whole inventory document.
#[derive(Debug, Serialize)]
pub struct Inventory {
    pub sources: Vec<SourceRow>,
    pub systems: Vec<SystemRow>,
    pub lpars: Vec<LparRow>,
    pub rspool_devices: Vec<RsDeviceRow>,
    pub wpars: Vec<WparRow>,
    pub nim_objects: Vec<NimRow>,
}

/// One source's health.
#[derive(Debug, Serialize)]
pub struct SourceRow {
    pub name: String,
    pub kind: &'static str,
    pub status: SourceStatus,
    pub error: Option<String>,
    pub fetched_at: Option<String>,
}

/// Firmware levels of a system.
#[derive(Debug, Serialize)]
pub struct FirmwareRow {
    pub activated_level: Option<u32>,
    pub installed_level: Option<u32>,
    pub accepted_level: Option<u32>,
}

/// One managed system.
#[derive(Debug, Serialize)]
pub struct SystemRow {
    pub hmc: String,
    pub name: String,
    pub type_model: String,
    pub serial_num: String,
    pub state: String,
    pub firmware: Option<FirmwareRow>,
}

/// One partition.
#[derive(Debug, Serialize)]
pub struct LparRow {
    pub hmc: String,
    pub system: String,
    pub name: String,
    pub lpar_id: u32,
    pub lpar_env: String,
    pub state: String,
    pub os_version: Option<String>,
    pub rmc_state: Option<String>,
    pub remote_restart_capable: bool,
    pub simplified_remote_restart_capable: bool,
    pub remote_restart_status: Option<String>,
    pub migration_state: Option<String>,
}

/// One reserved storage device.
#[derive(Debug, Serialize)]
pub struct RsDeviceRow {
    pub hmc: String,
    pub system: String,
    pub device_name: String,
    pub vios_name: Option<String>,
    pub size: Option<u64>,
    pub state: Option<String>,
    pub lpar_name: Option<String>,
}

/// One WPAR.
#[derive(Debug, Serialize)]
pub struct WparRow {
    pub host: String,
    pub name: String,
    pub state: String,
    #[serde(rename = "type")]
    pub wpar_type: String,
    pub hostname: Option<String>,
    pub directory: Option<String>,
    pub rootvg: bool,
}

/// One NIM object.
#[derive(Debug, Serialize)]
pub struct NimRow {
    pub master: String,
    pub name: String,
    pub class: String,
    #[serde(rename = "type")]
    pub object_type: String,
    #[serde(rename = "Cstate")]
    pub cstate: Option<String>,
    #[serde(rename = "Mstate")]
    pub mstate: Option<String>,
    pub current_master: Option<String>,
    pub attributes: serde_json::Map<String, serde_json::Value>,
}

impl Inventory {
    /// Flattens snapshots into the contract's tables.
    pub fn from_snapshots(snapshots: &[SourceSnapshot]) -> Inventory {
        let mut inventory = Inventory {
            sources: Vec::new(),
            systems: Vec::new(),
            lpars: Vec::new(),
            rspool_devices: Vec::new(),
            wpars: Vec::new(),
            nim_objects: Vec::new(),
        };
        for snapshot in snapshots {
            inventory.sources.push(SourceRow {
                name: snapshot.name.clone(),
                kind: snapshot.kind.as_str(),
                status: snapshot.status,
                error: snapshot.error.clone(),
                fetched_at: snapshot.fetched_at.map(rfc3339),
            });
            match &snapshot.data {
                SourceData::Empty => {}
                SourceData::Hmc(systems) => {
                    for data in systems {
                        let system = &data.system;
                        inventory.systems.push(SystemRow {
                            hmc: snapshot.name.clone(),
                            name: system.name.clone(),
                            type_model: system.type_model.clone(),
                            serial_num: system.serial_num.clone(),
                            state: system.state.to_string(),
                            firmware: system.firmware.as_ref().map(|f| FirmwareRow {
                                activated_level: f.activated_level,
                                installed_level: f.installed_level,
                                accepted_level: f.accepted_level,
                            }),
                        });
                        for lpar in &data.lpars {
                            inventory.lpars.push(LparRow {
                                hmc: snapshot.name.clone(),
                                system: system.name.clone(),
                                name: lpar.name.clone(),
                                lpar_id: lpar.lpar_id,
                                lpar_env: lpar.lpar_env.to_string(),
                                state: lpar.state.to_string(),
                                os_version: lpar.os_version.clone(),
                                rmc_state: lpar.rmc_state.as_ref().map(ToString::to_string),
                                remote_restart_capable: lpar.remote_restart_capable,
                                simplified_remote_restart_capable: lpar
                                    .simplified_remote_restart_capable,
                                remote_restart_status: lpar
                                    .remote_restart_status
                                    .as_ref()
                                    .map(ToString::to_string),
                                migration_state: lpar
                                    .migration_state
                                    .as_ref()
                                    .map(ToString::to_string),
                            });
                        }
                        for device in &data.rs_devices {
                            inventory.rspool_devices.push(RsDeviceRow {
                                hmc: snapshot.name.clone(),
                                system: system.name.clone(),
                                device_name: device.device_name.clone(),
                                vios_name: device.vios_name.clone(),
                                size: device.size,
                                state: device.state.as_ref().map(ToString::to_string),
                                lpar_name: device.lpar_name.clone(),
                            });
                        }
                    }
                }
                SourceData::Aix(wpars) => {
                    for wpar in wpars {
                        inventory.wpars.push(WparRow {
                            host: snapshot.name.clone(),
                            name: wpar.name.clone(),
                            state: wpar.state.to_string(),
                            wpar_type: wpar.wpar_type.to_string(),
                            hostname: wpar.hostname.clone(),
                            directory: wpar.directory.clone(),
                            rootvg: wpar.rootvg,
                        });
                    }
                }
                SourceData::Nim(objects) => {
                    for object in objects {
                        let attributes = object
                            .attributes
                            .iter()
                            .map(|(name, value)| {
                                (name.clone(), serde_json::Value::String(value.clone()))
                            })
                            .collect();
                        inventory.nim_objects.push(NimRow {
                            master: snapshot.name.clone(),
                            name: object.name.clone(),
                            class: object.class.to_string(),
                            object_type: object.object_type.clone(),
                            cstate: object.cstate.as_ref().map(ToString::to_string),
                            mstate: object.mstate.as_ref().map(ToString::to_string),
                            current_master: object.current_master.clone(),
                            attributes,
                        });
                    }
                }
            }
        }
        inventory
    }

    /// True when every source answered in full (exit status 0 of the contract).
    pub fn complete(&self) -> bool {
        self.sources.iter().all(|s| s.status == SourceStatus::Ok)
    }

    /// The JSON document of the contract.
    pub fn to_json(&self) -> String {
        let json = serde_json::to_string_pretty(self).unwrap_or_else(|error| {
            format!("{{\"error\": \"cannot encode the inventory: {error}\"}}")
        });
        escape_json_controls(&json)
    }

    /// The CSV tables (see the module documentation for the layout).
    pub fn to_csv(&self) -> String {
        let mut out = String::new();
        table(
            &mut out,
            "sources",
            &["name", "kind", "status", "error", "fetched_at"],
            self.sources.iter().map(|s| {
                vec![
                    s.name.clone(),
                    s.kind.to_string(),
                    format!("{:?}", s.status).to_lowercase(),
                    s.error.clone().unwrap_or_default(),
                    s.fetched_at.clone().unwrap_or_default(),
                ]
            }),
        );
        table(
            &mut out,
            "systems",
            &[
                "hmc",
                "name",
                "type_model",
                "serial_num",
                "state",
                "activated_level",
                "installed_level",
                "accepted_level",
            ],
            self.systems.iter().map(|s| {
                let level = |pick: fn(&FirmwareRow) -> Option<u32>| {
                    s.firmware
                        .as_ref()
                        .and_then(pick)
                        .map(|l| l.to_string())
                        .unwrap_or_default()
                };
                vec![
                    s.hmc.clone(),
                    s.name.clone(),
                    s.type_model.clone(),
                    s.serial_num.clone(),
                    s.state.clone(),
                    level(|f| f.activated_level),
                    level(|f| f.installed_level),
                    level(|f| f.accepted_level),
                ]
            }),
        );
        table(
            &mut out,
            "lpars",
            &[
                "hmc",
                "system",
                "name",
                "lpar_id",
                "lpar_env",
                "state",
                "os_version",
                "rmc_state",
                "remote_restart_capable",
                "simplified_remote_restart_capable",
                "remote_restart_status",
                "migration_state",
            ],
            self.lpars.iter().map(|l| {
                vec![
                    l.hmc.clone(),
                    l.system.clone(),
                    l.name.clone(),
                    l.lpar_id.to_string(),
                    l.lpar_env.clone(),
                    l.state.clone(),
                    l.os_version.clone().unwrap_or_default(),
                    l.rmc_state.clone().unwrap_or_default(),
                    flag(l.remote_restart_capable),
                    flag(l.simplified_remote_restart_capable),
                    l.remote_restart_status.clone().unwrap_or_default(),
                    l.migration_state.clone().unwrap_or_default(),
                ]
            }),
        );
        table(
            &mut out,
            "rspool_devices",
            &[
                "hmc",
                "system",
                "device_name",
                "vios_name",
                "size",
                "state",
                "lpar_name",
            ],
            self.rspool_devices.iter().map(|d| {
                vec![
                    d.hmc.clone(),
                    d.system.clone(),
                    d.device_name.clone(),
                    d.vios_name.clone().unwrap_or_default(),
                    d.size.map(|s| s.to_string()).unwrap_or_default(),
                    d.state.clone().unwrap_or_default(),
                    d.lpar_name.clone().unwrap_or_default(),
                ]
            }),
        );
        table(
            &mut out,
            "wpars",
            &[
                "host",
                "name",
                "state",
                "type",
                "hostname",
                "directory",
                "rootvg",
            ],
            self.wpars.iter().map(|w| {
                vec![
                    w.host.clone(),
                    w.name.clone(),
                    w.state.clone(),
                    w.wpar_type.clone(),
                    w.hostname.clone().unwrap_or_default(),
                    w.directory.clone().unwrap_or_default(),
                    flag(w.rootvg),
                ]
            }),
        );
        table(
            &mut out,
            "nim_objects",
            &[
                "master",
                "name",
                "class",
                "type",
                "Cstate",
                "Mstate",
                "current_master",
                "attributes",
            ],
            self.nim_objects.iter().map(|n| {
                vec![
                    n.master.clone(),
                    n.name.clone(),
                    n.class.clone(),
                    n.object_type.clone(),
                    n.cstate.clone().unwrap_or_default(),
                    n.mstate.clone().unwrap_or_default(),
                    n.current_master.clone().unwrap_or_default(),
                    n.attributes
                        .iter()
                        .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default()))
                        .collect::<Vec<_>>()
                        .join(";"),
                ]
            }),
        );
        out
    }
}

fn flag(value: bool) -> String {
    if value { "1" } else { "0" }.to_string()
}

/// Appends one CSV table (RFC 4180 quoting).
fn table(out: &mut String, kind: &str, header: &[&str], rows: impl Iterator<Item = Vec<String>>) {
    if !out.is_empty() {
        out.push('\n');
    }
    out.push_str(&format!("# {kind}\n"));
    out.push_str(&header.join(","));
    out.push('\n');
    for row in rows {
        let cells: Vec<String> = row.iter().map(|cell| csv_cell(cell)).collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
}

/// Writes the control characters serde_json leaves as they are (DEL, C1, U+2028, U+2029,
/// the bidi controls; it escapes C0 itself) as `\uXXXX`. They can only occur inside
/// strings, where the escape means the same character, so the document keeps its meaning.
fn escape_json_controls(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if c >= '\x7f' && text::is_control(c) {
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

/// One CSV cell as printed: control characters shown by [`text::visible`]; a cell that
/// starts with `=`, `+`, `-`, `@`, tab or CR, which a spreadsheet would run as a formula,
/// prefixed with `'` (the OWASP CSV injection rule; no column holds a negative number);
/// then quoted as RFC 4180 says when it holds `,` or `"` (or starts like a `# kind` line).
fn csv_cell(cell: &str) -> String {
    let formula = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let cell = format!("{}{}", if formula { "'" } else { "" }, text::visible(cell));
    if cell.contains([',', '"']) || cell.starts_with(['#', ' ']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell
    }
}

/// RFC 3339 in UTC, whole seconds: `2026-11-28T20:02:55Z`.
///
/// Exists so that inventory documents and journal records carry one timestamp form.
pub fn rfc3339(time: SystemTime) -> String {
    let seconds = time
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let at = i64::try_from(seconds)
        .ok()
        .and_then(|seconds| Timestamp::from_second(seconds).ok())
        .unwrap_or(Timestamp::MAX);
    at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn dates() {
        assert_eq!(rfc3339(UNIX_EPOCH), "1970-01-01T00:00:00Z");
        assert_eq!(
            rfc3339(UNIX_EPOCH + Duration::from_secs(1_795_896_175)),
            "2026-11-28T20:02:55Z"
        );
        assert_eq!(
            rfc3339(UNIX_EPOCH + Duration::from_secs(951_782_400)),
            "2000-02-29T00:00:00Z"
        );
    }

    #[test]
    fn csv_quoting() {
        assert_eq!(csv_cell("Not Activated"), "Not Activated");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
    }

    #[test]
    fn csv_formulas_are_neutralised() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("+1"), "'+1");
        assert_eq!(csv_cell("-2+3"), "'-2+3");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("\tx"), "'\\tx");
        assert_eq!(csv_cell("\r=1"), "'\\r=1");
        assert_eq!(csv_cell("a=b-c"), "a=b-c");
        assert_eq!(csv_cell("lpar\n1\x1b[2J"), "lpar\\n1\\e[2J");
        assert_eq!(csv_cell("C:\\x"), "C:\\\\x");
    }

    #[test]
    fn json_escapes_every_control_character() {
        let json = escape_json_controls("{\"a\": \"x\u{7f}\u{9b}\u{2028}\u{202e}\\u001b\"}");
        assert_eq!(json, "{\"a\": \"x\\u007f\\u009b\\u2028\\u202e\\u001b\"}");
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value["a"], "x\u{7f}\u{9b}\u{2028}\u{202e}\u{1b}");
    }
}
