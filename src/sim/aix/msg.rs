//! The AIX message lines the simulated global environment prints.
//!
//! Texts marked **\[ref\]** are the hosts' own, word for word, as docs/formats.md gives them
//! (its "AIX: ..." sections, from "AIX: messages" to "AIX and NIM: other codes") or as the
//! published source a section names prints them. Texts marked **\[chosen\]** are the
//! simulator's own, written in the same style where no source showed the real message;
//! their codes are not verified against a real system (docs/formats.md, "How to read this
//! file"). Section names in parentheses below are those of docs/formats.md.

/// `<cmd>: 0960-419 Could not find a workload partition called <w>.` **\[ref\]**
/// ("AIX: 0960 messages").
pub fn not_found(cmd: &str, wpar: &str) -> String {
    format!("{cmd}: 0960-419 Could not find a workload partition called {wpar}.")
}

/// The lock failure of a WPAR stuck in `T` or busy with another operation **\[ref\]**
/// ("AIX: 0960 messages"; docs/procedures.md, "WPAR recovery").
pub fn locked(cmd: &str) -> Vec<String> {
    vec![
        format!(
            "{cmd}: 0960-231 ATTENTION: '/usr/lib/wpars/wparlockctl' failed with return code 14."
        ),
        format!("{cmd}: 0960-247 Error processing workload partition locks."),
    ]
}

/// `<cmd>: 0960-254 Workload partition '<w>' is not currently active.` **\[ref\]**
pub fn not_active(cmd: &str, wpar: &str) -> String {
    format!("{cmd}: 0960-254 Workload partition '{wpar}' is not currently active.")
}

/// `startwpar: 0960-253 Workload partition '<w>' is already active.` **\[chosen\]**
pub fn already_active(wpar: &str) -> String {
    format!("startwpar: 0960-253 Workload partition '{wpar}' is already active.")
}

/// `startwpar: 0960-667 ...` **\[ref\]** ("AIX: startwpar and stopwpar").
pub const LEVEL_NOT_SUPPORTED: &str =
    "startwpar: 0960-667 The operating system level within the workload partition is not supported.";

/// `<cmd>: 0960-630 Failed to unmount <dir>.` **\[ref\]**
pub fn failed_unmount(cmd: &str, dir: &str) -> String {
    format!("{cmd}: 0960-630 Failed to unmount {dir}.")
}

/// `<cmd>: 0960-232 ATTENTION: 'wpar_sweep()' returned an unexpected result.` **\[ref\]**
pub fn sweep(cmd: &str) -> String {
    format!("{cmd}: 0960-232 ATTENTION: 'wpar_sweep()' returned an unexpected result.")
}

/// `<cmd>: 0960-228 ATTENTION: cleanup may not have completed successfully` **\[ref\]**
pub fn cleanup(cmd: &str) -> String {
    format!("{cmd}: 0960-228 ATTENTION: cleanup may not have completed successfully")
}

/// `rmwpar: 0960-256 ...` an active WPAR without `-s`/`-F` **\[chosen\]**
pub fn remove_active(wpar: &str) -> String {
    format!(
        "rmwpar: 0960-256 Workload partition '{wpar}' is active. Stop it first, or use the -s flag."
    )
}

/// `rmwpar: 0960-257 ...` a Broken WPAR without `-F` **\[chosen\]**
pub fn remove_broken(wpar: &str) -> String {
    format!(
        "rmwpar: 0960-257 Workload partition '{wpar}' is in the Broken state. Use the -F flag to remove it."
    )
}

/// `rmwpar: 0960-258 ...` `-p` on a rootvg WPAR **\[chosen\]** (the restriction is \[ref\],
/// "AIX: rmwpar").
pub const PRESERVE_ROOTVG: &str =
    "rmwpar: 0960-258 The -p flag cannot be used with rootvg workload partitions.";

/// `<cmd>: 0960-259 Workload partition <w> already exists.` **\[chosen\]**
pub fn exists(cmd: &str, wpar: &str) -> String {
    format!("{cmd}: 0960-259 Workload partition {wpar} already exists.")
}

/// `<cmd>: 0960-262 <w> is not a valid workload partition name.` **\[chosen\]** (the rules
/// are \[ref\], "AIX: WPAR names").
pub fn bad_name(cmd: &str, wpar: &str) -> String {
    format!("{cmd}: 0960-262 {wpar} is not a valid workload partition name.")
}

/// `syncwpar: 0960-264 Error synchronizing workload partition <w>.` **\[ref\]**
pub fn sync_error(wpar: &str) -> String {
    format!("syncwpar: 0960-264 Error synchronizing workload partition {wpar}.")
}

/// `syncwpar: 0960-274 ...` a detached WPAR without `-D` **\[chosen\]**
pub fn sync_needs_d(wpar: &str) -> String {
    format!("syncwpar: 0960-274 Workload partition {wpar} is a detached workload partition. Use the -D flag.")
}

/// `syncwpar: 0960-275 ...` a shared WPAR with `-D` **\[chosen\]**
pub fn sync_not_detached(wpar: &str) -> String {
    format!("syncwpar: 0960-275 Workload partition {wpar} is not a detached workload partition.")
}

/// `migwpar: 0960-270 ...` a detached WPAR without `-d` **\[chosen\]** (the rule is
/// \[ref\], "AIX: migwpar").
pub fn migrate_needs_d(wpar: &str) -> String {
    format!("migwpar: 0960-270 An installation source (-d) is required to migrate detached workload partition {wpar}.")
}

/// `migwpar: 0960-271 ...` not Defined **\[chosen\]**
pub fn migrate_not_defined(wpar: &str) -> String {
    format!(
        "migwpar: 0960-271 Workload partition {wpar} must be in the Defined state to be migrated."
    )
}

/// `migwpar: 0960-272 ...` nothing to migrate **\[chosen\]**
pub fn migrate_not_needed(wpar: &str) -> String {
    format!("migwpar: 0960-272 Workload partition {wpar} is already at the level of the global environment.")
}

/// `migwpar: 0960-273 ...` application or detached rootvg WPAR **\[chosen\]** (the support
/// matrix is \[ref\], "AIX: migwpar").
pub fn migrate_unsupported(wpar: &str) -> String {
    format!("migwpar: 0960-273 Migration of workload partition {wpar} is not supported.")
}

/// `<cmd>: 0960-276 ...` an application WPAR where only system WPARs work **\[chosen\]**
pub fn not_system(cmd: &str, wpar: &str) -> String {
    format!("{cmd}: 0960-276 {wpar} is an application workload partition.")
}

/// `restwpar: 0960-507 Level X of bos.rte.libc in saved image does not match level Y on
/// the running system.` **\[ref\]**
pub fn level_mismatch(saved: &str, running: &str) -> String {
    format!(
        "restwpar: 0960-507 Level {saved} of bos.rte.libc in saved image does not match level {running} on the running system."
    )
}

/// The compatibility failure without `-C` **\[ref\]** ("AIX: restwpar").
pub const COMPAT_FAILED: [&str; 2] = [
    "restwpar: 0960-508 Compatibility check between saved and running system failed.",
    "Use the -C option to ignore system compatibility levels.",
];

/// `restwpar: 0960-514 /usr/sbin/mkwpar exited with return code 1.` **\[ref\]**
pub const MKWPAR_FAILED: &str = "restwpar: 0960-514 /usr/sbin/mkwpar exited with return code 1.";

/// The LVM lines of a logical volume that does not fit in rootvg: 0516-404 (allocp)
/// **\[chosen\]** then 0516-822 **\[ref\]** ("AIX and NIM: other codes").
pub fn no_space_lines() -> Vec<String> {
    vec![
        "0516-404 allocp: This system cannot fulfill the allocation request.".to_string(),
        "\tThere are not enough free partitions or not enough physical volumes ".to_string(),
        "\tto keep strictness and satisfy allocation requests.  The command".to_string(),
        "\tshould be retried with different allocation characteristics.".to_string(),
        "0516-822 mklv: Unable to create logical volume.".to_string(),
    ]
}

/// `mkwpar: 0960-351 Failed to create the <fs> file system.` **\[ref\]** ("AIX: mkwpar").
pub fn fs_create_failed(fs: &str) -> String {
    format!("mkwpar: 0960-351 Failed to create the {fs} file system.")
}

/// AIX's text for ENOENT.
pub const NO_SUCH_FILE: &str = "A file or directory in the path name does not exist.";

/// AIX's text for ENOSPC.
pub const NO_SPACE: &str = "There is not enough space in the file system.";

/// `mkwpar: 0960-305 <f> is not a valid specification file.` **\[chosen\]**
pub fn not_spec(file: &str) -> String {
    format!("mkwpar: 0960-305 {file} is not a valid specification file.")
}

/// `<cmd>: 0960-503 <f> is not a valid savewpar backup image.` **\[chosen\]**
pub fn not_image(cmd: &str, file: &str) -> String {
    format!("{cmd}: 0960-503 {file} is not a valid savewpar backup image.")
}

/// savewpar without `-f` on a host without a tape drive **\[chosen\]**
pub const NO_TAPE: &str =
    "savewpar: 0512-005 Cannot open /dev/rmt0: There is no tape drive on this system.";

/// `clogin: 0960-277 Workload partition <w> is not active.` **\[chosen\]**
pub fn clogin_inactive(wpar: &str) -> String {
    format!("clogin: 0960-277 Workload partition {wpar} is not active.")
}

/// `backup: 0511-138 Cannot write to file <f>.` when a local savewpar image does not fit
/// **\[chosen\]** (0511-138 is \[ref\] for restore writing to a full file system,
/// "AIX: mkwpar").
pub fn backup_no_space(file: &str) -> String {
    format!("backup: 0511-138 Cannot write to file {file}.")
}

/// AIX's text for EROFS **\[chosen\]** (the strerror text of AIX is not in
/// docs/formats.md).
pub const READ_ONLY: &str = "The file system has read permission only.";

/// AIX's text for EFBIG, a write past the file-size limit **\[chosen\]**.
pub const FILE_TOO_LARGE: &str = "A file cannot be larger than the value set by ulimit.";

/// `restore` failing on a savewpar image cut short **\[chosen\]**.
pub fn image_cut_short(file: &str) -> String {
    format!("restore: 0511-195 An unexpected end of file was found on {file}.")
}

/// `restwpar: 0960-529 ...` the data of the WPAR could not be restored **\[chosen\]**.
pub fn restore_data_failed(wpar: &str) -> String {
    format!("restwpar: 0960-529 The files of workload partition {wpar} could not be restored.")
}

/// `restwpar: 0960-531 ...` an AIX 6.1 image on 7.1 without APAR IZ99829 **\[chosen\]**
/// (that the APAR is needed is \[ref\], docs/procedures.md, "WPAR move").
pub fn needs_apar(wpar: &str, apar: &str) -> String {
    format!(
        "restwpar: 0960-531 The files of workload partition {wpar} saved on AIX 6.1 cannot be restored on this level without fix {apar}."
    )
}

/// `chwpar: 0960-545 ...` checkpointability of a running WPAR **\[ref\]** ("AIX: 0960
/// messages").
pub const CHECKPOINT_RUNNING: &str =
    "chwpar: 0960-545 Cannot change the checkpointability (-c) of a running workload partition.";

/// `umount: 0506-347 ...` `-f` on a local journaled file system **\[chosen\]**: IBM's
/// pages disagree on what `-f` does there (docs/procedures.md, "WPAR recovery"), so the
/// simulator refuses it.
pub fn force_local(target: &str) -> String {
    format!(
        "umount: 0506-347 Cannot unmount {target}: The -f flag forces the unmount of remote (NFS) file systems only; {target} is a local jfs2 file system."
    )
}

/// `umount: 0506-349 Cannot unmount <x>: The requested resource is busy.` **\[chosen\]**
pub fn unmount_busy(target: &str) -> String {
    format!("umount: 0506-349 Cannot unmount {target}: The requested resource is busy.")
}

/// `umount: error unmounting <dev>: Device busy` **\[ref\]** (a cause of a Broken WPAR,
/// docs/procedures.md, "WPAR recovery").
pub fn device_busy(device: &str) -> String {
    format!("umount: error unmounting {device}: Device busy")
}

/// `kill: <pid>: 0403-003 The specified process does not exist.` **\[chosen\]**
pub fn no_process(pid: &str) -> String {
    format!("kill: {pid}: 0403-003 The specified process does not exist.")
}

/// The `instfix -ik` answers **\[ref\]** (the instfix message catalogue, cited in
/// docs/procedures.md, "WPAR move").
pub fn apar_found(apar: &str) -> String {
    format!("    All filesets for {apar} were found.")
}

/// `instfix -ik` for a fix the host does not know **\[ref\]**.
pub fn apar_unknown(apar: &str) -> String {
    format!("    There was no data for {apar} in the fix database.")
}

/// `lppchk -v` inside a WPAR whose root part is older than its /usr **\[chosen\]**.
pub fn lppchk_inconsistent(level: &str) -> Vec<String> {
    vec![
        "lppchk:  The following filesets need to be installed or corrected to bring".to_string(),
        "         the system to a consistent state:".to_string(),
        String::new(),
        format!(
            "  bos.rte.libc {level}                (usr: COMMITTED, root: not at the same level)"
        ),
    ]
}
