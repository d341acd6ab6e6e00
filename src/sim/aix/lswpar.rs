//! `lswpar` (docs/formats.md, "AIX: lswpar" to "AIX: lswpar -c"): the default table, `-a`
//! field selection, the delimited `-c`/`-d X` forms with their `#` header, `-q`,
//! `-s STATE`, `-t TYPE`, named WPARs, the `-G` general paragraphs and the `-M` (mounts)
//! and `-N` (network) tables.
//!
//! Tables are left-aligned, each column as wide as its widest cell (header included),
//! columns two blanks apart, then a dash line as wide as the header line (docs/formats.md,
//! "AIX: lswpar"). Unknown names print `0960-419` on stderr after the WPARs that were
//! found, with exit status 1.

use super::layout::{mounts, WparMount};
use super::{getopt::getopt, host, msg, usage};
use crate::sim::estate::SimWpar;
use crate::sim::reply::Reply;
use crate::sim::world::World;

const USAGE: &str = "Usage: lswpar [-M | -N] [-a fieldname[,...]] [-q] [-s state] [-t type] [wparname ...]
       lswpar -G [-s state] [-t type] [wparname ...]
       lswpar {-c | -d delim} [-a fieldname[,...] | -G | {-M | -N} [-a fieldname[,...]]] [-q] [-s state] [-t type] [wparname ...]";

/// The `=` rule around a `-G` paragraph header (its real length is unknown,
/// docs/formats.md, "AIX: lswpar -G").
pub const GENERAL_RULE: &str = "=================================================================";

/// Width of a `-G` label with its colon and padding (docs/formats.md, "AIX: lswpar -G").
const LABEL_WIDTH: usize = 37;

/// Which listing was asked for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Listing {
    General,
    Mounts,
    Network,
}

/// Runs `lswpar`.
pub fn run(world: &mut World, host_name: &str, args: &[String]) -> Reply {
    let opts = match getopt("lswpar", args, "cqGMN", "adst") {
        Ok(opts) => opts,
        Err(message) => return usage(Some(&message), USAGE),
    };
    let Some(host) = host(world, host_name) else {
        return Reply::fail_stderr("lswpar: no such host\n", 1);
    };
    let listing = match (opts.has('G'), opts.has('M'), opts.has('N')) {
        (false, false, false) => None,
        (true, false, false) => Some(Listing::General),
        (false, true, false) => Some(Listing::Mounts),
        (false, false, true) => Some(Listing::Network),
        _ => return usage(None, USAGE),
    };
    let delimiter = match (opts.has('c'), opts.value('d')) {
        (_, Some(delim)) => Some(delim.to_string()),
        (true, None) => Some(":".to_string()),
        (false, None) => None,
    };
    let quiet = opts.has('q');
    let fields: Option<Vec<String>> = opts.value('a').map(|list| {
        list.split(',')
            .map(|f| f.trim().to_string())
            .filter(|f| !f.is_empty())
            .collect()
    });
    if fields.is_some() && listing == Some(Listing::General) {
        return usage(None, USAGE);
    }

    // Which WPARs, in which order; names that are not there are reported at the end.
    let mut selected: Vec<&SimWpar> = Vec::new();
    let mut missing: Vec<&str> = Vec::new();
    if opts.operands.is_empty() {
        selected.extend(host.wpars.iter());
    } else {
        for name in &opts.operands {
            match host.wpar(name) {
                Some(wpar) => {
                    if !selected.iter().any(|w| w.name == wpar.name) {
                        selected.push(wpar);
                    }
                }
                None => missing.push(name),
            }
        }
    }
    if let Some(states) = opts.value('s') {
        selected.retain(|w| letter_filter(states, &state_letter(w), w.state.as_str()));
    }
    if let Some(types) = opts.value('t') {
        selected.retain(|w| letter_filter(types, &type_letter(w), w.wpar_type.as_str()));
    }

    let output = match listing {
        Some(Listing::General) => match &delimiter {
            Some(delim) => {
                let names: Vec<String> = GENERAL_DELIMITED.iter().map(|f| f.to_string()).collect();
                render_records(&selected, &names, delim, quiet)
            }
            None => Ok(general(&selected)),
        },
        Some(Listing::Mounts) => {
            mounts_listing(&selected, fields.as_deref(), delimiter.as_deref(), quiet)
        }
        Some(Listing::Network) => {
            network_listing(&selected, fields.as_deref(), delimiter.as_deref(), quiet)
        }
        None => {
            let names: Vec<String> =
                fields.unwrap_or_else(|| DEFAULT_FIELDS.iter().map(|f| f.to_string()).collect());
            match &delimiter {
                Some(delim) => render_records(&selected, &names, delim, quiet),
                None => render_table_records(&selected, &names, quiet),
            }
        }
    };
    let stdout = match output {
        Ok(text) => text,
        Err(field) => {
            return Reply::fail_stderr(
                format!("lswpar: {field} is not a valid field name.\n{USAGE}\n"),
                2,
            )
        }
    };
    let mut reply = Reply::ok(stdout);
    if !missing.is_empty() {
        let mut errors = String::new();
        for name in missing {
            errors.push_str(&msg::not_found("lswpar", name));
            errors.push('\n');
        }
        reply = reply.stderr(errors).with_status(1);
    }
    reply
}

/// The default fields of the table and of `-c` (docs/formats.md, "AIX: lswpar -c").
const DEFAULT_FIELDS: &[&str] = &[
    "name",
    "state",
    "type",
    "hostname",
    "directory",
    "rootvgwpar",
];

/// The fields of `lswpar -G -c`, in paragraph order.
const GENERAL_DELIMITED: &[&str] = &[
    "name",
    "state",
    "type",
    "rootvgwpar",
    "owner",
    "hostname",
    "routing",
    "vipwpar",
    "directory",
    "script",
    "auto",
    "privateusr",
    "checkpointable",
    "application",
    "ostype",
    "UUID",
];

/// `-s`/`-t` matching: the whole word (`Defined`), or any of the letters given (`AD`).
fn letter_filter(wanted: &str, letter: &str, word: &str) -> bool {
    let wanted = wanted.trim();
    if wanted.eq_ignore_ascii_case(word) {
        return true;
    }
    wanted
        .split(',')
        .flat_map(|part| part.chars())
        .any(|c| c.to_string().eq_ignore_ascii_case(letter))
}

fn state_letter(wpar: &SimWpar) -> String {
    wpar.state
        .letter()
        .map_or_else(|| wpar.state.as_str().to_string(), |c| c.to_string())
}

fn type_letter(wpar: &SimWpar) -> String {
    wpar.wpar_type
        .letter()
        .map_or_else(|| wpar.wpar_type.as_str().to_string(), |c| c.to_string())
}

fn yes_no(value: bool) -> String {
    if value { "yes" } else { "no" }.to_string()
}

/// A general field's table header and value; `None` for an unknown field name.
fn general_field(wpar: &SimWpar, field: &str) -> Option<(&'static str, String)> {
    Some(match field.to_ascii_lowercase().as_str() {
        "name" => ("Name", wpar.name.clone()),
        "state" => ("State", state_letter(wpar)),
        "type" => ("Type", type_letter(wpar)),
        "hostname" => ("Hostname", wpar.hostname().to_string()),
        "directory" => ("Directory", wpar.directory()),
        "rootvgwpar" => ("RootVG WPAR", yes_no(wpar.rootvg)),
        "owner" => ("Owner", "root".to_string()),
        "routing" => ("WPAR-Specific Routing", "no".to_string()),
        "vipwpar" => ("Virtual IP WPAR", String::new()),
        "script" => ("Start/Stop Script", String::new()),
        "auto" => ("Auto Start", yes_no(wpar.auto_start)),
        "privateusr" => ("Private /usr", yes_no(wpar.private_usr)),
        "checkpointable" => ("Checkpointable", yes_no(wpar.checkpointable)),
        "application" => ("Application", wpar.application.clone().unwrap_or_default()),
        "ostype" => ("OStype", wpar.ostype.to_string()),
        "uuid" => ("UUID", wpar.uuid()),
        _ => return None,
    })
}

/// Lays out a table: header (unless quiet), dash line, rows; trailing blanks trimmed.
pub fn table(headers: &[&str], rows: &[Vec<String>], quiet: bool) -> String {
    if rows.is_empty() {
        return String::new();
    }
    let mut widths: Vec<usize> = headers.iter().map(|h| h.len()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if let Some(width) = widths.get_mut(i) {
                *width = (*width).max(cell.len());
            }
        }
    }
    let line = |cells: &mut dyn Iterator<Item = &str>| {
        let mut text = String::new();
        for (i, cell) in cells.enumerate() {
            let width = widths.get(i).copied().unwrap_or(0);
            text.push_str(&format!("{cell:<width$}  "));
        }
        text.trim_end().to_string()
    };
    let mut out = String::new();
    if !quiet {
        let header = line(&mut headers.iter().copied());
        let full = widths.iter().sum::<usize>() + 2 * widths.len().saturating_sub(1);
        out.push_str(&header);
        out.push('\n');
        out.push_str(&"-".repeat(full.max(header.len())));
        out.push('\n');
    }
    for row in rows {
        out.push_str(&line(&mut row.iter().map(String::as_str)));
        out.push('\n');
    }
    out
}

/// Delimited rows with a `#f1<d>f2` header (unless quiet).
pub fn delimited(names: &[String], rows: &[Vec<String>], delim: &str, quiet: bool) -> String {
    if rows.is_empty() {
        return String::new();
    }
    let mut out = String::new();
    if !quiet {
        out.push('#');
        out.push_str(&names.join(delim));
        out.push('\n');
    }
    for row in rows {
        out.push_str(&row.join(delim));
        out.push('\n');
    }
    out
}

fn general_rows(
    wpars: &[&SimWpar],
    names: &[String],
) -> Result<(Vec<&'static str>, Vec<Vec<String>>), String> {
    let probe = SimWpar::new("probe");
    let mut headers = Vec::new();
    for name in names {
        match general_field(&probe, name) {
            Some((header, _)) => headers.push(header),
            None => return Err(name.clone()),
        }
    }
    let rows = wpars
        .iter()
        .map(|w| {
            names
                .iter()
                .map(|n| general_field(w, n).map(|(_, v)| v).unwrap_or_default())
                .collect()
        })
        .collect();
    Ok((headers, rows))
}

fn render_table_records(
    wpars: &[&SimWpar],
    names: &[String],
    quiet: bool,
) -> Result<String, String> {
    let (headers, rows) = general_rows(wpars, names)?;
    Ok(table(&headers, &rows, quiet))
}

fn render_records(
    wpars: &[&SimWpar],
    names: &[String],
    delim: &str,
    quiet: bool,
) -> Result<String, String> {
    let (_, rows) = general_rows(wpars, names)?;
    Ok(delimited(names, &rows, delim, quiet))
}

/// `lswpar -G` paragraphs (the layout of docs/formats.md, "AIX: lswpar -G").
fn general(wpars: &[&SimWpar]) -> String {
    let mut out = String::new();
    for (index, wpar) in wpars.iter().enumerate() {
        if index > 0 {
            out.push('\n');
        }
        out.push_str(&general_paragraph(wpar));
    }
    out
}

/// One `-G` paragraph.
pub fn general_paragraph(wpar: &SimWpar) -> String {
    let mut out = format!(
        "{GENERAL_RULE}\n{} - {}\n{GENERAL_RULE}\n",
        wpar.name,
        wpar.state.as_str()
    );
    let mut label = |label: &str, value: &str| {
        let text = format!("{:<LABEL_WIDTH$}{value}", format!("{label}:"));
        out.push_str(text.trim_end());
        out.push('\n');
    };
    label("Type", &type_letter(wpar));
    label("RootVG WPAR", &yes_no(wpar.rootvg));
    label("Owner", "root");
    label("Hostname", wpar.hostname());
    label("WPAR-Specific Routing", "no");
    label("Virtual IP WPAR", "");
    label("Directory", &wpar.directory());
    label("Start/Stop Script", "");
    label("Auto Start", &yes_no(wpar.auto_start));
    label("Private /usr", &yes_no(wpar.private_usr));
    label("Checkpointable", &yes_no(wpar.checkpointable));
    label("Application", wpar.application.as_deref().unwrap_or(""));
    out.push('\n');
    let mut label = |label: &str, value: &str| {
        let text = format!("{:<LABEL_WIDTH$}{value}", format!("{label}:"));
        out.push_str(text.trim_end());
        out.push('\n');
    };
    label("OStype", &wpar.ostype.to_string());
    label("UUID", &wpar.uuid());
    out
}

const MOUNT_FIELDS: &[(&str, &str)] = &[
    ("name", "Name"),
    ("mountpoint", "Mount Point"),
    ("device", "Device"),
    ("vfs", "Vfs"),
    ("nodename", "Nodename"),
    ("options", "Options"),
];

fn mount_value(wpar: &SimWpar, mount: &WparMount, field: &str) -> String {
    match field {
        "name" => wpar.name.clone(),
        "mountpoint" => mount.mount_point.clone(),
        "device" => mount.device.clone(),
        "vfs" => mount.vfs.to_string(),
        "nodename" => String::new(),
        _ => mount.options.to_string(),
    }
}

fn pick<'a>(
    known: &'a [(&'a str, &'a str)],
    fields: Option<&[String]>,
) -> Result<Vec<(&'a str, &'a str)>, String> {
    match fields {
        None => Ok(known.to_vec()),
        Some(fields) => fields
            .iter()
            .map(|f| {
                known
                    .iter()
                    .find(|(name, _)| name.eq_ignore_ascii_case(f))
                    .copied()
                    .ok_or_else(|| f.clone())
            })
            .collect(),
    }
}

fn mounts_listing(
    wpars: &[&SimWpar],
    fields: Option<&[String]>,
    delim: Option<&str>,
    quiet: bool,
) -> Result<String, String> {
    let chosen = pick(MOUNT_FIELDS, fields)?;
    let mut rows = Vec::new();
    for wpar in wpars {
        for mount in mounts(wpar) {
            rows.push(
                chosen
                    .iter()
                    .map(|(field, _)| mount_value(wpar, &mount, field))
                    .collect(),
            );
        }
    }
    Ok(finish_listing(&chosen, &rows, delim, quiet))
}

const NETWORK_FIELDS: &[(&str, &str)] = &[
    ("name", "Name"),
    ("interface", "Interface"),
    ("address", "Address(6)"),
    ("mask_prefix", "Mask/Prefix"),
    ("broadcast", "Broadcast"),
];

fn network_listing(
    wpars: &[&SimWpar],
    fields: Option<&[String]>,
    delim: Option<&str>,
    quiet: bool,
) -> Result<String, String> {
    let chosen = pick(NETWORK_FIELDS, fields)?;
    let mut rows = Vec::new();
    for wpar in wpars {
        let Some(address) = &wpar.address else {
            continue;
        };
        let mask = wpar
            .netmask
            .clone()
            .unwrap_or_else(|| "255.255.255.0".to_string());
        let broadcast = broadcast(address, &mask).unwrap_or_default();
        let interface = wpar.interface.clone().unwrap_or_else(|| "en0".to_string());
        rows.push(
            chosen
                .iter()
                .map(|(field, _)| match *field {
                    "name" => wpar.name.clone(),
                    "interface" => interface.clone(),
                    "address" => address.clone(),
                    "mask_prefix" => mask.clone(),
                    _ => broadcast.clone(),
                })
                .collect(),
        );
    }
    Ok(finish_listing(&chosen, &rows, delim, quiet))
}

fn finish_listing(
    chosen: &[(&str, &str)],
    rows: &[Vec<String>],
    delim: Option<&str>,
    quiet: bool,
) -> String {
    match delim {
        Some(delim) => {
            let names: Vec<String> = chosen.iter().map(|(n, _)| n.to_string()).collect();
            delimited(&names, rows, delim, quiet)
        }
        None => {
            let headers: Vec<&str> = chosen.iter().map(|(_, h)| *h).collect();
            table(&headers, rows, quiet)
        }
    }
}

/// The IPv4 broadcast address of `address`/`mask`.
pub fn broadcast(address: &str, mask: &str) -> Option<String> {
    let address: std::net::Ipv4Addr = address.parse().ok()?;
    let mask: std::net::Ipv4Addr = mask.parse().ok()?;
    let value = u32::from(address) | !u32::from(mask);
    Some(std::net::Ipv4Addr::from(value).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broadcast_of_redbook_network() {
        assert_eq!(
            broadcast("172.16.20.102", "255.255.252.0").as_deref(),
            Some("172.16.23.255")
        );
        assert_eq!(broadcast("x", "255.0.0.0"), None);
    }

    #[test]
    fn table_layout() {
        let rows = vec![vec!["w1".to_string(), "A".to_string()]];
        assert_eq!(
            table(&["Name", "State"], &rows, false),
            "Name  State\n-----------\nw1    A\n"
        );
        assert_eq!(table(&["Name", "State"], &rows, true), "w1    A\n");
    }
}
