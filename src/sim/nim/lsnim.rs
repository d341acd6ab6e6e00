//! `lsnim` (docs/formats.md, "NIM: lsnim" to "NIM: other lsnim forms"): the plain
//! `name class type` listing (name and class padded to 16, `%-16s %-16s %s`), `-l`
//! stanzas (three blanks, attribute names padded to the longest of that object, ` = `, the
//! value; an empty value leaves `name =`), `-c CLASS`, `-t TYPE` (with a machine operand:
//! the resources of that type allocated to it), `-a ATTR ...` and `-q OPERATION`. A
//! missing object prints `0042-053` on stderr after the objects that were found, exit
//! status 53.

use super::{failure, msg, nim_host};
use crate::sim::aix::getopt::getopt;
use crate::sim::estate::{NimHost, SimNimObject};
use crate::sim::reply::Reply;
use crate::sim::world::World;

const USAGE: &str = "usage: lsnim [-l | -a Attribute ...] [-c Class | -t Type] [ObjectName ...]
       lsnim -q Operation {-t Type | ObjectName}
       lsnim -t Type MachineName";

/// The plain line of an object.
pub fn plain_line(object: &SimNimObject) -> String {
    format!(
        "{:<16} {:<16} {}",
        object.name,
        object.class.as_str(),
        object.object_type
    )
}

/// Every attribute of `lsnim -l`, class and type first.
pub fn long_attributes(object: &SimNimObject) -> Vec<(String, String)> {
    let mut list = vec![
        ("class".to_string(), object.class.as_str().to_string()),
        ("type".to_string(), object.object_type.clone()),
    ];
    list.extend(
        object
            .attributes
            .iter()
            .filter(|(k, _)| k != "class" && k != "type")
            .cloned(),
    );
    list
}

/// A stanza: `name:` then `   attr<pad> = value` lines, names padded to the longest.
pub fn stanza(name: &str, attributes: &[(String, String)]) -> String {
    let width = attributes.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    let mut out = format!("{name}:\n");
    for (key, value) in attributes {
        let line = format!("   {key:<width$} = {value}");
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// `lsnim -q OPERATION` answers: (required, optional) attributes.
fn operation_attributes(
    operation: &str,
) -> Option<(&'static [&'static str], &'static [&'static str])> {
    Some(match operation {
        "sync" => (&[], &["verbose", "replicate", "reset_clients"]),
        "takeover" => (&[], &["show_progress", "verbose"]),
        "reset" => (&[], &["verbose"]),
        "deallocate" => (&["subclass"], &["verbose"]),
        "allocate" => (
            &[],
            &[
                "lpp_source",
                "spot",
                "mksysb",
                "bosinst_data",
                "script",
                "fb_script",
            ],
        ),
        "check" => (&[], &["debug", "verbose"]),
        "lslpp" => (&[], &["lslpp_flags", "filesets"]),
        "showlog" => (&[], &["log_type", "full_log"]),
        "showres" => (&[], &["lslpp_flags", "installp_flags", "filesets"]),
        "remove" => (&[], &[]),
        _ => return None,
    })
}

/// Runs `lsnim`.
pub fn run(world: &mut World, host_name: &str, args: &[String]) -> Reply {
    let opts = match getopt("lsnim", args, "lOZL", "ctaq") {
        Ok(opts) => opts,
        Err(message) => return Reply::fail_stderr(format!("{message}\n{USAGE}\n"), 1),
    };
    let Some(host) = nim_host(world, host_name) else {
        return Reply::fail_stderr("lsnim: no such host\n", 1);
    };
    if let Some(operation) = opts.value('q') {
        return query(host, operation, &opts.operands);
    }
    if opts.has('O') || opts.has('Z') || opts.has('L') {
        return Reply::fail_stderr(format!("{USAGE}\n"), 1);
    }
    let class = opts.value('c');
    let object_type = opts.value('t');
    let attrs = opts.values('a');
    let long = opts.has('l');

    // `lsnim -t TYPE MACHINE`: the resources of that type allocated to the machine.
    if let (Some(object_type), [machine]) = (object_type, opts.operands.as_slice()) {
        if let Some(object) = host.object(machine).filter(|o| o.is_machine()) {
            let mut out = String::new();
            for (key, value) in &object.attributes {
                if key == object_type {
                    if let Some(resource) = host.object(value) {
                        out.push_str(&plain_line(resource));
                        out.push('\n');
                    }
                }
            }
            return Reply::ok(out);
        }
    }

    let mut selected: Vec<&SimNimObject> = Vec::new();
    let mut missing: Vec<&str> = Vec::new();
    if opts.operands.is_empty() {
        selected.extend(host.objects.iter());
    } else {
        for name in &opts.operands {
            match host.object(name) {
                Some(object) => selected.push(object),
                None => missing.push(name),
            }
        }
    }
    selected.retain(|o| {
        class.is_none_or(|c| o.class.as_str() == c)
            && object_type.is_none_or(|t| o.object_type == t)
    });
    let mut out = String::new();
    for object in &selected {
        if !attrs.is_empty() {
            let all = long_attributes(object);
            let picked: Vec<(String, String)> = attrs
                .iter()
                .flat_map(|a| all.iter().filter(move |(k, _)| k == a).cloned())
                .collect();
            out.push_str(&stanza(&object.name, &picked));
        } else if long {
            out.push_str(&stanza(&object.name, &long_attributes(object)));
        } else {
            out.push_str(&plain_line(object));
            out.push('\n');
        }
    }
    if missing.is_empty() {
        return Reply::ok(out);
    }
    let mut error = msg::no_object("lsnim", missing[0]);
    for name in &missing[1..] {
        error.lines.extend(msg::no_object("lsnim", name).lines);
    }
    let failed = failure(error);
    Reply::ok(out)
        .stderr(failed.stderr_text())
        .with_status(failed.exit_status)
}

fn query(host: &NimHost, operation: &str, operands: &[String]) -> Reply {
    if let Some(name) = operands.first() {
        let is_type = host.objects.iter().any(|o| &o.object_type == name);
        if host.object(name).is_none() && !is_type {
            return failure(msg::no_object("lsnim", name));
        }
    }
    let Some((required, optional)) = operation_attributes(operation) else {
        return failure(msg::bad_operation(
            operation,
            operands.first().map_or("", String::as_str),
        ));
    };
    let mut out = String::new();
    if !required.is_empty() {
        out.push_str("the following attributes are required:\n");
        for attr in required {
            out.push_str(&format!("\t-a {attr}=\n"));
        }
    }
    if !optional.is_empty() {
        out.push_str("the following attributes are optional:\n");
        for attr in optional {
            out.push_str(&format!("\t-a {attr}=\n"));
        }
    }
    Reply::ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::estate::NimClass;

    #[test]
    fn stanza_padding_and_empty_values() {
        let mut object = SimNimObject::new("hmc1", NimClass::Management, "hmc");
        object.attributes.push(("prev_state".into(), String::new()));
        object.attributes.push(("passwd_file".into(), "/x".into()));
        assert_eq!(
            stanza(&object.name, &long_attributes(&object)),
            "hmc1:\n   class       = management\n   type        = hmc\n   prev_state  =\n   passwd_file = /x\n"
        );
        assert_eq!(plain_line(&object), "hmc1             management       hmc");
    }
}
