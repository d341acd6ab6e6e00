//! Builders for the NIM commands powerdeck runs on a NIM master (docs/formats.md, the
//! "NIM: ..." sections).
//!
//! Every builder returns a [`RemoteCommand`] with `LC_ALL=C` in front: NIM prints states
//! such as `ready for a NIM operation` in the host's language otherwise. Object names are
//! separate words checked with [`check_name`](crate::sources::command::check_name); the
//! `-a attr=value` pairs are fixed words of powerdeck's own.

use crate::estate::NimClass;
use crate::sources::command::{Built, Locale, RemoteCommand};

const OBJECT: &str = "NIM object name";
const CLIENT: &str = "NIM client name";
const CLASS: &str = "NIM class";
const TYPE: &str = "NIM object type";
const ALTERNATE: &str = "alternate master object name";
const OLD_MASTER: &str = "NIM master object name";
const RESOURCE: &str = "NIM resource name";
const PATH: &str = "path";

/// `lsnim`: every object as `name class type` (docs/formats.md, "NIM: lsnim").
pub fn lsnim() -> RemoteCommand {
    read("lsnim")
}

/// `lsnim -l [NAME]`: long stanzas of every object, or of one (docs/formats.md,
/// "NIM: lsnim -l").
pub fn lsnim_long(object: Option<&str>) -> Built {
    let command = read("lsnim").flag("-l");
    match object {
        Some(object) => command.name(OBJECT, object),
        None => Ok(command),
    }
}

/// `lsnim -c CLASS -l`: long stanzas of one class, e.g. every machine
/// (docs/formats.md, "NIM: other lsnim forms").
pub fn lsnim_class(class: &NimClass) -> Built {
    Ok(read("lsnim")
        .option("-c", CLASS, class.as_str())?
        .flag("-l"))
}

/// `lsnim -t TYPE`: the objects of one type (`standalone`, `alternate_master`, `spot` ...)
/// (docs/formats.md, "NIM: other lsnim forms").
pub fn lsnim_type(object_type: &str) -> Built {
    read("lsnim").option("-t", TYPE, object_type)
}

/// `lsnim -a ATTR ... NAME`: a stanza with only those attributes, e.g. a stuck client's
/// `Cstate` and `info` sampled twice (docs/formats.md, "NIM: other lsnim forms";
/// docs/procedures.md, "NIM reset").
pub fn lsnim_attributes(object: &str, attributes: &[&'static str]) -> Built {
    let mut command = read("lsnim");
    for attribute in attributes {
        command = command.flags(&["-a", attribute]);
    }
    command.name(OBJECT, object)
}

/// `nim -o showlog CLIENT`: the client's install, boot or customization log; a log that
/// grows means the client is still working (docs/procedures.md, "NIM reset").
pub fn nim_showlog(client: &str) -> Built {
    read("nim").flags(&["-o", "showlog"]).name(CLIENT, client)
}

/// `nim -o showres -a lslpp_flags=Lc SPOT`: the filesets in a SPOT, colon-separated
/// (docs/formats.md, "NIM: nim -o").
pub fn nim_showres_spot(spot: &str) -> Built {
    read("nim")
        .flags(&["-o", "showres", "-a", "lslpp_flags=Lc"])
        .name(RESOURCE, spot)
}

/// `nim -o showres -a installp_flags=L LPP_SOURCE`: the filesets in an lpp_source,
/// colon-separated (docs/formats.md, "NIM: nim -o").
pub fn nim_showres_lpp(lpp_source: &str) -> Built {
    read("nim")
        .flags(&["-o", "showres", "-a", "installp_flags=L"])
        .name(RESOURCE, lpp_source)
}

/// `lslpp -Lc FILESET ...` on the master: the levels of its own filesets
/// (docs/procedures.md, "nimadm pre-flight").
pub fn lslpp_levels(filesets: &[&'static str]) -> RemoteCommand {
    read("lslpp").flag("-Lc").flags(filesets)
}

/// `df -k [PATH ...]`: mounted file systems with their free space, in 1024-byte blocks;
/// with paths, the file system each is on (docs/procedures.md, "NIM alternate master").
pub fn df_k(paths: &[&str]) -> Built {
    read("df").flag("-k").names(PATH, paths)
}

/// `ls -d PATH ...`: which of the paths exist (docs/procedures.md, "NIM alternate
/// master").
pub fn ls_d(paths: &[&str]) -> Built {
    read("ls").flag("-d").names(PATH, paths)
}

/// `du -sk PATH ...`: what each path holds, in kilobytes (docs/procedures.md, "NIM
/// alternate master").
pub fn du_sk(paths: &[&str]) -> Built {
    read("du").flag("-sk").names(PATH, paths)
}

/// `lsvg`: the master's volume groups, for nimadm's cache (`-j`).
pub fn lsvg_list() -> RemoteCommand {
    read("lsvg")
}

/// `nim [-F] -o reset CLIENT`: put a stuck machine back to `ready for a NIM operation`;
/// `-F` overrides the safety checks. It does not deallocate (docs/formats.md,
/// "NIM: reset and deallocate").
pub fn nim_reset(client: &str, force: bool) -> Built {
    let command = change("nim");
    let command = if force { command.flag("-F") } else { command };
    command.flags(&["-o", "reset"]).name(CLIENT, client)
}

/// `nim -o deallocate -a subclass=all CLIENT`: release every resource allocated to a
/// machine, the usual step after a reset (docs/formats.md, "NIM: reset and deallocate").
pub fn nim_deallocate_all(client: &str) -> Built {
    change("nim")
        .flags(&["-o", "deallocate", "-a", "subclass=all"])
        .name(CLIENT, client)
}

/// `nim -o sync -a force=yes -a replicate=yes [-a reset_clients=yes] ALTERNATE`, run on the
/// primary master: copy the NIM database (overwriting the one `niminit` created) and the
/// missing resources to the alternate master object `ALTERNATE`; `reset_clients` also
/// rebuilds the clients' master lists (docs/procedures.md, "NIM alternate master", step 5;
/// docs/formats.md, "NIM: alternate master", for the daily cron job).
pub fn nim_sync(alternate: &str, reset_clients: bool) -> Built {
    let command = change("nim").flags(&["-o", "sync", "-a", "force=yes", "-a", "replicate=yes"]);
    let command = if reset_clients {
        command.flags(&["-a", "reset_clients=yes"])
    } else {
        command
    };
    command.name(ALTERNATE, alternate)
}

/// `nim -o takeover -a show_progress=yes OLD_MASTER`, run on the alternate that should
/// become master: take control of the clients of the master object `OLD_MASTER`
/// (docs/procedures.md, "NIM alternate master", step 7).
pub fn nim_takeover(old_master: &str) -> Built {
    change("nim")
        .flags(&["-o", "takeover", "-a", "show_progress=yes"])
        .name(OLD_MASTER, old_master)
}

/// `nim -o check OBJECT`: check a client or SPOT; a SPOT check may rebuild boot images
/// (`sync_roots`), so it is a change (docs/formats.md, "NIM: nim -o").
pub fn nim_check(object: &str) -> Built {
    change("nim").flags(&["-o", "check"]).name(OBJECT, object)
}

/// `nim -o lslpp CLIENT`: the software on a client, as its master sees it; fails with
/// `0042-378` on a master that is not the client's current one (docs/formats.md,
/// "NIM: nim -o").
pub fn nim_lslpp(client: &str) -> Built {
    read("nim").flags(&["-o", "lslpp"]).name(CLIENT, client)
}

/// The path of NIM's remote execution method on the master (docs/procedures.md,
/// "nimadm pre-flight").
pub const C_RSH: &str = "/usr/lpp/bos.sysmgt/nim/methods/c_rsh";

/// A command the master runs on a client through `c_rsh` for the nimadm pre-flight
/// (docs/formats.md, "NIM: nimadm"; docs/procedures.md, "nimadm pre-flight").
///
/// Exists so that only these fixed command lines ever reach the client's shell: `c_rsh`
/// hands its words to a remote shell, which would re-read any value put there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientCommand {
    /// `hostname`: remote execution works.
    Hostname,
    /// `oslevel -s`: the client's level, to compare with the lpp_source.
    OsLevel,
    /// `lssrc -s nimsh`: the NIM client daemon runs.
    NimshStatus,
    /// `ls -d /bos_inst`: a leftover multibos directory makes nimadm fail in phase 11.
    ListBosInst,
    /// `rm -r /bos_inst`: removes that leftover directory.
    RemoveBosInst,
    /// `cat /etc/niminfo`: the master the client itself obeys.
    NimInfo,
    /// `mount`: nothing may be mounted on `/bos_inst` (a standby instance in use).
    Mounts,
    /// `lsvg -l rootvg`: no `bos_*` logical volumes (a standby instance), `hd*` open.
    RootvgVolumes,
    /// `lsvg rootvg`: what rootvg uses, which the target disk must hold.
    Rootvg,
    /// `lspv`: the disks and their volume groups (`None` when free).
    Disks,
    /// `bootinfo -s hdiskN`: the size of disk `hdiskN` in MB; only the number is given,
    /// so no other word can reach the client's shell.
    DiskSize(u32),
}

impl ClientCommand {
    /// The words run on the client.
    pub fn words(self) -> Vec<String> {
        let fixed: &[&str] = match self {
            ClientCommand::Hostname => &["hostname"],
            ClientCommand::OsLevel => &["oslevel", "-s"],
            ClientCommand::NimshStatus => &["lssrc", "-s", "nimsh"],
            ClientCommand::ListBosInst => &["ls", "-d", "/bos_inst"],
            ClientCommand::RemoveBosInst => &["rm", "-r", "/bos_inst"],
            ClientCommand::NimInfo => &["cat", "/etc/niminfo"],
            ClientCommand::Mounts => &["mount"],
            ClientCommand::RootvgVolumes => &["lsvg", "-l", "rootvg"],
            ClientCommand::Rootvg => &["lsvg", "rootvg"],
            ClientCommand::Disks => &["lspv"],
            ClientCommand::DiskSize(disk) => {
                return vec!["bootinfo".into(), "-s".into(), format!("hdisk{disk}")]
            }
        };
        fixed.iter().map(|word| word.to_string()).collect()
    }
}

/// `c_rsh CLIENT COMMAND...`: run one of the fixed [`ClientCommand`]s on a NIM client
/// from the master. Only `rm -r /bos_inst` changes anything. `c_rsh` exits 0 once it
/// reached the client, whatever the remote command did (docs/procedures.md,
/// "nimadm pre-flight", item 3).
pub fn c_rsh(client: &str, command: ClientCommand) -> Built {
    let base = match command {
        ClientCommand::RemoveBosInst => change(C_RSH),
        _ => read(C_RSH),
    };
    command
        .words()
        .into_iter()
        .try_fold(base.name(CLIENT, client)?, |built, word| {
            built.arg("client command word", word)
        })
}

fn read(program: &'static str) -> RemoteCommand {
    RemoteCommand::read(program).locale(Locale::LcAllC)
}

fn change(program: &'static str) -> RemoteCommand {
    RemoteCommand::change(program).locale(Locale::LcAllC)
}
