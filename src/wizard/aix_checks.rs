//! Reading what AIX prints for the WPAR wizards' checks: the mount table, `df -k`,
//! `fuser`, `showmount -e`, `instfix -ik` (docs/procedures.md, "WPAR move" and
//! "WPAR recovery"). Shared by the facts read before planning and by the conditions the
//! plan's check steps verify, so both read the host the same way.

/// One row of AIX's `mount` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MountEntry {
    /// The NFS server of a remote mount; `None` for local ones.
    pub node: Option<String>,
    /// The device, or the directory on the server.
    pub mounted: String,
    /// Where it is mounted.
    pub over: String,
    /// `jfs2`, `nfs3`, `namefs` ...
    pub vfs: String,
    /// The options column (`rw,bg,hard,intr`), empty when not printed.
    pub options: String,
}

impl MountEntry {
    /// A file system from another host (NFS).
    pub fn is_remote(&self) -> bool {
        self.node.is_some() || self.vfs.starts_with("nfs")
    }

    /// Mounted read-only.
    pub fn read_only(&self) -> bool {
        self.options.split(',').any(|option| option == "ro")
    }

    /// A local journaled file system.
    pub fn is_jfs(&self) -> bool {
        self.vfs.starts_with("jfs")
    }

    /// Where `path` (under this mount) lives on the server: `node:/dir/rest`; `None`
    /// for a local mount.
    pub fn export_of(&self, path: &str) -> Option<String> {
        let node = self.node.as_deref()?;
        let rest = if path == self.over {
            ""
        } else {
            path.strip_prefix(self.over.trim_end_matches('/'))?
        };
        Some(format!("{node}:{}{rest}", self.mounted))
    }
}

/// The rows of `mount` output. Local rows have no node column: `mounted over vfs date
/// options`; remote ones start with the node.
pub fn parse_mounts(text: &str) -> Vec<MountEntry> {
    let mut entries = Vec::new();
    for line in text.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        let (node, rest) = match words.as_slice() {
            [mounted, ..] if mounted.starts_with('/') => (None, &words[..]),
            [node, mounted, ..] if mounted.starts_with('/') || mounted.contains(':') => {
                (Some((*node).to_string()), &words[1..])
            }
            _ => continue,
        };
        let [mounted, over, vfs, date @ ..] = rest else {
            continue;
        };
        if !over.starts_with('/') {
            continue;
        }
        // Three date words (`Apr 18 05:12`), then the options.
        let options = date.get(3).copied().unwrap_or_default();
        entries.push(MountEntry {
            node,
            mounted: (*mounted).to_string(),
            over: (*over).to_string(),
            vfs: (*vfs).to_string(),
            options: options.to_string(),
        });
    }
    entries
}

/// True when `path` is `dir` or lies below it.
pub fn is_under(path: &str, dir: &str) -> bool {
    let dir = dir.trim_end_matches('/');
    dir.is_empty()
        || path == dir
        || path
            .strip_prefix(dir)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// The mount that holds `path`: the longest mount point above it.
pub fn holding<'a>(entries: &'a [MountEntry], path: &str) -> Option<&'a MountEntry> {
    entries
        .iter()
        .filter(|entry| is_under(path, &entry.over))
        .max_by_key(|entry| entry.over.len())
}

/// One row of `df -k` output.
#[derive(Debug, Clone, PartialEq)]
pub struct DfRow {
    /// The device, or `node:/dir` for NFS.
    pub filesystem: String,
    /// Free kilobytes; `None` where df prints `-`.
    pub free_kb: Option<f64>,
    /// `%Used`; `None` where df prints `-`.
    pub used_percent: Option<u32>,
    /// Where it is mounted.
    pub mounted_on: String,
}

/// The rows of `df -k` output (`Filesystem 1024-blocks Free %Used Iused %Iused Mounted
/// on`).
pub fn parse_df(text: &str) -> Vec<DfRow> {
    text.lines()
        .filter_map(|line| {
            let words: Vec<&str> = line.split_whitespace().collect();
            let [filesystem, _total, free, used, _iused, _ipct, mounted_on] = words.as_slice()
            else {
                return None;
            };
            if !mounted_on.starts_with('/') {
                return None;
            }
            Some(DfRow {
                filesystem: (*filesystem).to_string(),
                free_kb: free.parse().ok(),
                used_percent: used.trim_end_matches('%').parse().ok(),
                mounted_on: (*mounted_on).to_string(),
            })
        })
        .collect()
}

/// Free megabytes of the (first) file system `df -k PATH` lists.
pub fn df_free_mb(text: &str) -> Option<u64> {
    let free = parse_df(text).first()?.free_kb?;
    Some((free / 1024.0).floor() as u64)
}

/// File systems mounted at or under `dir` that `df -k` shows 100% used.
pub fn full_under(text: &str, dir: &str) -> Vec<String> {
    parse_df(text)
        .into_iter()
        .filter(|row| is_under(&row.mounted_on, dir) && row.used_percent == Some(100))
        .map(|row| row.mounted_on)
        .collect()
}

/// The processes `fuser` lists on stdout: a PID with its use letters (`4128872c`).
pub fn fuser_holders(stdout: &str) -> Vec<String> {
    stdout
        .split_whitespace()
        .filter(|word| word.starts_with(|c: char| c.is_ascii_digit()))
        .map(str::to_string)
        .collect()
}

/// What the use letters after a PID mean, for the operator.
pub fn fuser_meaning(holder: &str) -> String {
    let pid: String = holder.chars().take_while(char::is_ascii_digit).collect();
    let uses: Vec<&str> = holder[pid.len()..]
        .chars()
        .filter_map(|c| match c {
            'c' => Some("current directory"),
            'e' => Some("executable"),
            'r' => Some("root directory"),
            's' => Some("shared library"),
            _ => None,
        })
        .collect();
    if uses.is_empty() {
        format!("process {pid}")
    } else {
        format!("process {pid} ({})", uses.join(", "))
    }
}

/// The directories `showmount -e` lists as exported.
pub fn exports(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| line.split_whitespace().next())
        .filter(|word| word.starts_with('/'))
        .map(str::to_string)
        .collect()
}

/// What `instfix -ik APAR` says: `Some(true)` when all its filesets are there,
/// `Some(false)` for the three answers that mean it is not (fully) installed, `None`
/// when the output is none of these.
pub fn instfix_found(text: &str, apar: &str) -> Option<bool> {
    if text.contains(&format!("All filesets for {apar} were found.")) {
        return Some(true);
    }
    let missing = [
        format!("Not all filesets for {apar} were found."),
        format!("No filesets which have fixes for {apar} are currently installed."),
        format!("There was no data for {apar} in the fix database."),
    ];
    missing
        .iter()
        .any(|line| text.contains(line.as_str()))
        .then_some(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MOUNT: &str =
        "  node       mounted        mounted over    vfs       date        options\n\
-------- ---------------  ---------------  ------ ------------ ---------------\n\
         /dev/hd4         /                jfs2   Apr 18 05:12 rw,log=/dev/hd8\n\
nfs01    /export/wpars    /export/wpars    nfs3   Apr 18 05:12 ro,bg,hard,intr\n\
         /proc            /proc            procfs Apr 18 05:12 rw\n";

    #[test]
    fn mounts() {
        let entries = parse_mounts(MOUNT);
        assert_eq!(entries.len(), 3);
        let shared = holding(&entries, "/export/wpars/images").unwrap();
        assert!(shared.is_remote() && shared.read_only());
        assert_eq!(
            shared.export_of("/export/wpars/images").as_deref(),
            Some("nfs01:/export/wpars/images")
        );
        let local = holding(&entries, "/export/other").unwrap();
        assert_eq!(local.over, "/");
        assert!(local.is_jfs() && local.export_of("/export/other").is_none());
        assert!(is_under("/a/b", "/a") && !is_under("/ab", "/a") && is_under("/x", "/"));
    }

    #[test]
    fn df_fuser_exports_instfix() {
        let df = "Filesystem    1024-blocks      Free %Used    Iused %Iused Mounted on\n\
nfs01:/export/wpars   524288000 308224000   41%  3584000    10% /export/wpars\n\
/dev/fslv07        262144         0  100%     1835    25% /wpars/w1/var\n\
/proc                   -         -     -        -      - /proc\n";
        assert_eq!(df_free_mb(df), Some(301_000));
        assert_eq!(full_under(df, "/wpars/w1"), ["/wpars/w1/var"]);
        assert!(full_under(df, "/wpars/w2").is_empty());
        assert_eq!(fuser_holders("  4128872c  77e\n"), ["4128872c", "77e"]);
        assert!(fuser_holders("").is_empty());
        assert_eq!(
            fuser_meaning("4128872ce"),
            "process 4128872 (current directory, executable)"
        );
        assert_eq!(
            exports("export list for nfs01:\n/export/wpars (everyone)\n"),
            ["/export/wpars"]
        );
        assert_eq!(
            instfix_found("    All filesets for IZ99829 were found.\n", "IZ99829"),
            Some(true)
        );
        assert_eq!(
            instfix_found(
                "    There was no data for IZ99829 in the fix database.\n",
                "IZ99829"
            ),
            Some(false)
        );
        assert_eq!(instfix_found("instfix: garbled\n", "IZ99829"), None);
    }
}
