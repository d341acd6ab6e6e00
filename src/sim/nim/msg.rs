//! The NIM message lines the simulated master prints. NIM commands exit with the
//! three-digit code of their fatal error, modulo 256 (docs/formats.md, "NIM: messages").
//!
//! **\[ref\]**: the host's text, as docs/formats.md gives it ("NIM: messages", "NIM: other
//! lsnim forms", "AIX and NIM: other codes") or as the published source a section names
//! prints it. **\[chosen\]**: the simulator's own wording and code where no source showed
//! one.

/// A NIM failure: lines for stderr and the exit status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NimError {
    /// Lines, each without its line end.
    pub lines: Vec<String>,
    /// The exit status (code mod 256).
    pub status: u32,
}

impl NimError {
    /// An error whose exit status is `code` mod 256.
    pub fn new(code: u32, lines: Vec<String>) -> NimError {
        NimError {
            lines,
            status: code % 256,
        }
    }

    /// The lines joined for stderr.
    pub fn text(&self) -> String {
        let mut text = String::new();
        for line in &self.lines {
            text.push_str(line);
            text.push('\n');
        }
        text
    }
}

/// `0042-001 nim: processing error encountered on "<object>":` **\[ref\]**
pub fn processing(object: &str) -> String {
    format!("0042-001 nim: processing error encountered on \"{object}\":")
}

/// `0042-053 <cmd>: there is no NIM object named "<name>"` **\[ref\]** (for `lsnim`;
/// the same text for `nim` is \[chosen\]).
pub fn no_object(cmd: &str, name: &str) -> NimError {
    NimError::new(
        53,
        vec![format!(
            "0042-053 {cmd}: there is no NIM object named \"{name}\""
        )],
    )
}

/// `0042-378 m_lslpp: The current master for ...` **\[ref\]** for `lslpp` (IBM's
/// alternate-master technote, wrapped as there; docs/formats.md, "NIM: messages"); the
/// same text for the other operations on a client (`m_reset`, `m_showlog` ...), naming
/// the operation, is **\[chosen\]**: a master that does not control a client can run no
/// operation on it (docs/procedures.md, "NIM reset", step 5).
pub fn not_current_master(operation: &str, client: &str, current: &str) -> NimError {
    let (method, executed) = match operation {
        "lslpp" => (
            "m_lslpp".to_string(),
            "\"/usr/lpp/bos.sysmgt/nim/methods/c_ckspot\"".to_string(),
        ),
        other => (format!("m_{other}"), format!("\"{other}\"")),
    };
    NimError::new(
        378,
        vec![
            processing("master"),
            format!("0042-378 {method}: The current master for \"{client}\""),
            format!("is \"{current}\". You must run the \"takeover\" operation to"),
            format!("become the current master before you can execute the {executed}"),
            "operation on this client.".to_string(),
        ],
    )
}

/// `0042-052 m_rmmac: unable to remove "X" because resources have been allocated to it`
/// **\[ref\]** (docs/formats.md, "NIM: messages").
pub fn resources_allocated(name: &str) -> NimError {
    NimError::new(
        52,
        vec![
            processing("master"),
            format!(
                "0042-052 m_rmmac: unable to remove \"{name}\" because resources have been allocated to it"
            ),
        ],
    )
}

/// A client the takeover could not reach (powered off): its `/etc/niminfo` is not
/// rewritten **\[chosen\]** (what NIM prints for an unreachable client during a takeover
/// was not found; the `0042-006` text is that of `m_lslpp`).
pub fn takeover_unreachable(client: &str) -> Vec<String> {
    vec![
        "0042-006 c_switch_master: (From_Master) connect Connection refused".to_string(),
        format!("{client}: Connection refused"),
    ]
}

/// A replicated resource that does not fit in the file system it lands on
/// **\[chosen\]**: replication fills `/` when the resource's file system is missing
/// (docs/procedures.md, "NIM alternate master", step 3); no source shows the error.
pub fn replicate_no_space(resource: &str, location: &str, mount: &str) -> Vec<String> {
    vec![
        format!("cp: {location}: There is not enough space in the file system."),
        format!("0042-213 m_sync_db: could not replicate \"{resource}\": {mount} is full"),
    ]
}

/// `0042-006 <method>: (From_Master) connect Connection refused` **\[ref\]**
/// ("NIM: messages").
pub fn refused(method: &str, host: &str) -> NimError {
    NimError::new(
        6,
        vec![
            processing("master"),
            format!("0042-006 {method}: (From_Master) connect Connection refused"),
            String::new(),
            format!("{host}: Connection refused"),
        ],
    )
}

/// `0042-372 c_switch_master: ...` **\[ref\]** ("NIM: messages"): a client that does not
/// know this master (`sync_required = yes`) refuses the takeover.
pub const NOT_SWITCHABLE: &str =
    "0042-372 c_switch_master: The client is not configured to allow this master to execute this command";

/// A reset of a machine in the middle of an operation without `-F` **\[chosen\]**
/// (the rule is \[ref\], "NIM: reset and deallocate": such a machine needs `nim -Fo reset`).
pub fn reset_needs_force(name: &str, cstate: &str) -> NimError {
    NimError::new(
        204,
        vec![
            processing("master"),
            format!("0042-204 m_reset: \"{name}\" is in the \"{cstate}\" state;"),
            "\tuse the force option (-F) to reset it".to_string(),
        ],
    )
}

/// An operation on a machine that is not ready **\[chosen\]**
pub fn busy(method: &str, name: &str, cstate: &str) -> NimError {
    NimError::new(
        205,
        vec![
            processing("master"),
            format!("0042-205 {method}: the state of \"{name}\" is \"{cstate}\";"),
            format!("\treset it first (nim -Fo reset {name})"),
        ],
    )
}

/// A database sync over an existing database without `force` **\[chosen\]** (the rule
/// is \[ref\], "NIM: alternate master").
pub fn sync_needs_force(alternate: &str) -> NimError {
    NimError::new(
        206,
        vec![
            processing("master"),
            format!("0042-206 m_sync_db: a NIM database already exists on \"{alternate}\";"),
            "\tuse \"-a force=yes\" (or -F) to overwrite it".to_string(),
        ],
    )
}

/// sync/takeover aimed at an object that is not an alternate master **\[chosen\]**
pub fn not_alternate(name: &str, operation: &str) -> NimError {
    NimError::new(
        208,
        vec![
            processing("master"),
            format!("0042-208 m_{operation}: \"{name}\" is not an alternate_master"),
        ],
    )
}

/// An operation the simulated master does not have, or not for that object **\[chosen\]**
pub fn bad_operation(operation: &str, name: &str) -> NimError {
    NimError::new(
        209,
        vec![format!(
            "0042-209 nim: \"{operation}\" is not a valid operation for \"{name}\""
        )],
    )
}

/// The NIM master filesets of the two masters differ **\[chosen\]**
pub fn level_check_failed(here: &str, backup: &str) -> NimError {
    NimError::new(
        210,
        vec![
            format!("The level of the NIM master fileset on this machine is: {here}"),
            format!("The level of the NIM database backup is: {backup}"),
            String::new(),
            "0042-210 m_sync_db: Level check failed: both masters must be at the same level."
                .to_string(),
        ],
    )
}

/// A resource that is not there or not ready for allocation **\[chosen\]**
pub fn not_allocatable(resource: &str) -> NimError {
    NimError::new(
        211,
        vec![
            processing("master"),
            format!("0042-211 m_alloc: \"{resource}\" is not a resource that can be allocated"),
        ],
    )
}
