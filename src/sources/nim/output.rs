//! The outputs the NIM wizards judge besides `lsnim`: NIM's operation summary tables,
//! fileset levels (`lslpp -Lc`, `nim -o showres`), and the AIX listings read on a master
//! or, through `c_rsh`, on a client (`df -k`, `du -sk`, `mount`, `lsvg`, `lspv`)
//! (docs/formats.md, "NIM: nim -o", "NIM: nimadm"; docs/procedures.md, the NIM
//! sections).
//!
//! Every parser takes what it can and skips the rest: a line it cannot read never makes
//! up a value.

/// The rows of the `"OPERATION" Operation Summary` table of `nim` output: (target,
/// result) pairs, `None` when the output has no such table.
pub fn operation_summary(text: &str, operation: &str) -> Option<Vec<(String, String)>> {
    let title = format!("\"{operation}\" Operation Summary");
    let mut lines = text.lines().skip_while(|line| !line.contains(&title));
    lines.next()?;
    let mut rows = Vec::new();
    let mut in_rows = false;
    for line in lines {
        let words: Vec<&str> = line.split_whitespace().collect();
        if !in_rows {
            in_rows = words.first().is_some_and(|w| w.starts_with("---"));
            continue;
        }
        match words.as_slice() {
            [] => break,
            [first, ..] if first.starts_with('+') || line.contains("Operation") => break,
            [name @ .., result] if !name.is_empty() => {
                rows.push((name.join(" "), result.to_string()));
            }
            _ => break,
        }
    }
    Some(rows)
}

/// (fileset, level) of every colon-separated fileset line (`lslpp -Lc`, `installp -L`,
/// `nim -o showres`): the fileset is the second field, the level the third. Header lines
/// (`#...`) and lines with fewer fields are skipped.
pub fn fileset_levels(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| {
            let mut fields = line.split(':');
            let _package = fields.next()?;
            let fileset = fields.next()?.trim();
            let level = fields.next()?.trim();
            (!fileset.is_empty() && level.split('.').count() == 4)
                .then(|| (fileset.to_string(), level.to_string()))
        })
        .collect()
}

/// A level `7.1.3.45` (fileset) or `7100-03-05-1524` (oslevel -s) as (version, release,
/// technology level); `None` when it is neither.
pub fn release_level(level: &str) -> Option<(u32, u32, u32)> {
    let level = level.trim();
    if let Some((vr, rest)) = level.split_once('-') {
        let mut digits = vr.chars().filter_map(|c| c.to_digit(10));
        let version = digits.next()?;
        let release = digits.next()?;
        let tl = rest.split('-').next()?.parse().ok()?;
        return Some((version, release, tl));
    }
    let mut parts = level.split('.').map(|p| p.parse::<u32>().ok());
    Some((parts.next()??, parts.next()??, parts.next()??))
}

/// One file system of `df -k`: where it is mounted and what is free, in kilobytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileSystem {
    /// The mount point (`Mounted on`).
    pub mount: String,
    /// Free 1024-byte blocks.
    pub free_kb: u64,
}

/// The rows of `df -k`: the last column is the mount point, the third the free blocks.
/// Rows whose free column is not a number (`-` for `/proc`) are kept with 0 free.
pub fn df_rows(text: &str) -> Vec<FileSystem> {
    text.lines()
        .filter(|line| !line.starts_with("Filesystem"))
        .filter_map(|line| {
            let words: Vec<&str> = line.split_whitespace().collect();
            if words.len() < 7 || !words[6].starts_with('/') {
                return None;
            }
            Some(FileSystem {
                mount: words[6].to_string(),
                free_kb: words[2].parse().unwrap_or(0),
            })
        })
        .collect()
}

/// The mounted file system a path is on (or would be created on): the one whose mount
/// point is the longest leading part of the path.
pub fn file_system_of<'a>(rows: &'a [FileSystem], path: &str) -> Option<&'a FileSystem> {
    rows.iter()
        .filter(|fs| {
            let mount = fs.mount.trim_end_matches('/');
            mount.is_empty()
                || path == mount
                || path
                    .strip_prefix(mount)
                    .is_some_and(|rest| rest.starts_with('/'))
        })
        .max_by_key(|fs| fs.mount.len())
}

/// (path, kilobytes) of every `du -sk` line (`KB<TAB>PATH`).
pub fn du_rows(text: &str) -> Vec<(String, u64)> {
    text.lines()
        .filter_map(|line| {
            let (size, path) = line.trim().split_once(char::is_whitespace)?;
            Some((path.trim().to_string(), size.parse().ok()?))
        })
        .collect()
}

/// The paths `ls -d` listed.
pub fn listed_paths(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|line| line.starts_with('/'))
        .map(str::to_string)
        .collect()
}

/// (device, mounted over) of every line of `mount` output; a line that starts with a
/// blank has no node column.
pub fn mounts(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter(|line| !line.trim_start().starts_with("node") && !line.starts_with("---"))
        .filter_map(|line| {
            let words: Vec<&str> = line.split_whitespace().collect();
            let (device, over) = if line.starts_with(char::is_whitespace) {
                (words.first()?, words.get(1)?)
            } else {
                (words.get(1)?, words.get(2)?)
            };
            Some((device.to_string(), over.to_string()))
        })
        .collect()
}

/// One logical volume of `lsvg -l VG`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogicalVolume {
    /// `hd4`, `bos_hd4`.
    pub name: String,
    /// `open/syncd`, `closed/syncd`.
    pub state: String,
    /// The mount point, `N/A` for none.
    pub mount: String,
}

impl LogicalVolume {
    /// True when the volume is open (in use).
    pub fn is_open(&self) -> bool {
        self.state.starts_with("open")
    }
}

/// The logical volumes of `lsvg -l VG`: rows of seven columns after the `LV NAME` header.
pub fn logical_volumes(text: &str) -> Vec<LogicalVolume> {
    text.lines()
        .filter_map(|line| {
            let words: Vec<&str> = line.split_whitespace().collect();
            let state = words.get(5)?;
            if !state.contains('/') || words.len() < 7 {
                return None;
            }
            Some(LogicalVolume {
                name: words[0].to_string(),
                state: state.to_string(),
                mount: words[6..].join(" "),
            })
        })
        .collect()
}

/// (disk, volume group) of every `lspv` line; `None` for a disk in no volume group.
pub fn physical_volumes(text: &str) -> Vec<(String, Option<String>)> {
    text.lines()
        .filter_map(|line| {
            let words: Vec<&str> = line.split_whitespace().collect();
            let disk = words.first().filter(|w| w.starts_with("hdisk"))?;
            let vg = words.get(2)?;
            Some((
                disk.to_string(),
                (!vg.eq_ignore_ascii_case("none")).then(|| vg.to_string()),
            ))
        })
        .collect()
}

/// The megabytes of a `lsvg VG` field such as `USED PPs:  320 (20480 megabytes)`.
pub fn volume_group_mb(text: &str, field: &str) -> Option<u64> {
    let at = text.find(field)?;
    let rest = &text[at + field.len()..];
    let open = rest.find('(')?;
    let number: String = rest[open + 1..]
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    number.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_summaries() {
        let text = "                        \"reset\" Operation Summary\n   Target                  Result\n   ------                  ------\n   client                   RESET\n                        Initiating \"takeover\" Operation\n                        \"takeover\" Operation Summary\n   Target                  Result\n   ------                  ------\n   client                  SUCCESS\n   client1                 FAILURE\n\nUpdating the NIM database\n";
        assert_eq!(
            operation_summary(text, "takeover"),
            Some(vec![
                ("client".to_string(), "SUCCESS".to_string()),
                ("client1".to_string(), "FAILURE".to_string())
            ])
        );
        assert_eq!(
            operation_summary(text, "reset"),
            Some(vec![("client".to_string(), "RESET".to_string())])
        );
        assert_eq!(operation_summary("nothing", "takeover"), None);
    }

    #[test]
    fn filesets_and_levels() {
        let text = "#Package Name:Fileset:Level:State\nbos.mp64:bos.mp64:7.1.3.45: : :C:F:Base\nbos.alt_disk_install.rte:bos.alt_disk_install.rte:7.1.3.45::I:T:::::N:Alt ::::0::\ngarbage\n";
        assert_eq!(
            fileset_levels(text),
            [
                ("bos.mp64".to_string(), "7.1.3.45".to_string()),
                (
                    "bos.alt_disk_install.rte".to_string(),
                    "7.1.3.45".to_string()
                )
            ]
        );
        assert_eq!(release_level("7.1.3.45"), Some((7, 1, 3)));
        assert_eq!(release_level("6100-06-03-1048"), Some((6, 1, 6)));
        assert_eq!(release_level("nonsense"), None);
    }

    #[test]
    fn file_systems_and_paths() {
        let text = "Filesystem    1024-blocks      Free %Used    Iused %Iused Mounted on\n/dev/hd4          2097152   1048576   50%    14680    12% /\n/dev/fslv00     104857600  83886080   20%   734003     5% /export/nim\n";
        let rows = df_rows(text);
        assert_eq!(rows.len(), 2);
        assert_eq!(
            file_system_of(&rows, "/export/nim/lpp_source/x").map(|f| f.mount.as_str()),
            Some("/export/nim")
        );
        assert_eq!(
            file_system_of(&rows, "/export/nimble").map(|f| f.mount.as_str()),
            Some("/")
        );
        assert_eq!(
            du_rows("6291456\t/export/nim/lpp\n"),
            [("/export/nim/lpp".to_string(), 6_291_456)]
        );
    }

    #[test]
    fn client_listings() {
        let mount = "  node       mounted        mounted over    vfs       date        options\n-------- ---------------  ---------------  ------ ------------ ---------------\n         /dev/hd4         /                jfs2   Apr 18 05:12 rw\n         /dev/bos_hd4     /bos_inst        jfs2   Apr 18 05:12 rw\nnfs01    /export/wpars    /export/wpars    nfs3   Apr 18 05:12 rw\n";
        assert_eq!(
            mounts(mount),
            [
                ("/dev/hd4".to_string(), "/".to_string()),
                ("/dev/bos_hd4".to_string(), "/bos_inst".to_string()),
                ("/export/wpars".to_string(), "/export/wpars".to_string())
            ]
        );
        let lvs = logical_volumes("rootvg:\nLV NAME             TYPE       LPs     PPs     PVs  LV STATE      MOUNT POINT\nhd4 jfs2 1 2 2 open/syncd /\nbos_hd4 jfs2 1 1 1 closed/syncd /bos_inst\n");
        assert_eq!(lvs.len(), 2);
        assert!(lvs[0].is_open() && !lvs[1].is_open());
        assert_eq!(lvs[1].mount, "/bos_inst");
        assert_eq!(
            physical_volumes("hdisk0 00f6 rootvg active\nhdisk1 none None\n"),
            [
                ("hdisk0".to_string(), Some("rootvg".to_string())),
                ("hdisk1".to_string(), None)
            ]
        );
        assert_eq!(
            volume_group_mb(
                "MAX LVs: 256   FREE PPs:  32 (2048 megabytes)\nLVs: 12  USED PPs:  320 (20480 megabytes)\n",
                "USED PPs:"
            ),
            Some(20480)
        );
    }
}
