//! OpenSSH `known_hosts` files: deciding whether a host key is known, and recording one.
//!
//! russh ships a minimal matcher (plain and hashed names only, no wildcards, no
//! `@revoked`, a changed key of another type is not told apart). Operators' files carry
//! every form OpenSSH writes, so powerdeck matches entries itself, the way `ssh` does:
//!
//! - `host`, `host1,host2`, `[host]:port` (non-22 ports), wildcards `*` and `?`, and
//!   negated patterns `!host` (a negated match disqualifies the line);
//! - hashed names `|1|salt|hash` (HMAC-SHA1 of the name, as `ssh-keygen -H` writes);
//! - `@revoked` lines: a revoked key is refused even if another line lists it;
//! - `@cert-authority` lines, comments, blank lines and keys of types powerdeck does
//!   not know are skipped;
//! - key types ed25519, ecdsa (nistp256/384/521) and rsa.
//!
//! Host names are compared in lower case, as OpenSSH does.

use std::fs::OpenOptions;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use hmac::{KeyInit, Mac};
use russh::keys::ssh_encoding::base64::{Base64, Encoding};
use russh::keys::{Algorithm, HashAlg, PublicKey};

/// What `known_hosts` says about the key a host offered.
///
/// Exists so that the connection code can apply the policy (accept, refuse, record)
/// without knowing the file format, and so tests can check each entry form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostKeyStatus {
    /// A line for this host holds exactly this key.
    Known,
    /// No line for this host holds a key of this type.
    Unknown {
        /// `SHA256:...`, as `ssh-keygen -l` prints it.
        fingerprint: String,
        /// The line to append to accept the key (`[host]:port ssh-ed25519 AAAA...`).
        line_to_add: String,
        /// Lines holding keys of *other* types for this host. When not empty the host is
        /// not new: a key of a new type is then not accepted automatically.
        other_key_lines: Vec<usize>,
    },
    /// A line for this host holds a different key of the same type.
    Changed {
        /// Fingerprint of the offered key.
        fingerprint: String,
        /// 1-based number of the first line holding the other key.
        known_line_number: usize,
        /// The file that was read.
        path: PathBuf,
    },
    /// An `@revoked` line for this host lists this key.
    Revoked {
        /// Fingerprint of the offered key.
        fingerprint: String,
        /// 1-based number of the `@revoked` line.
        line_number: usize,
        /// The file that was read.
        path: PathBuf,
    },
}

/// How a host is named in `known_hosts`: `host` for port 22, `[host]:port` otherwise,
/// lower-cased.
///
/// Exists because OpenSSH looks up (and hashes) exactly this form.
pub fn host_pattern(host: &str, port: u16) -> String {
    let host = host.to_ascii_lowercase();
    if port == 22 {
        host
    } else {
        format!("[{host}]:{port}")
    }
}

/// The `SHA256:...` fingerprint of a key, as `ssh-keygen -l` prints it.
///
/// Exists so that every message shows a fingerprint the operator can compare with the
/// host's `ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub`.
pub fn fingerprint(key: &PublicKey) -> String {
    key.fingerprint(HashAlg::Sha256).to_string()
}

/// The `known_hosts` line that accepts `key` for `host` on `port` (plain, not hashed,
/// no comment).
///
/// Exists for the "add this line" advice of an unknown-key error and for [`append`].
pub fn line_for(host: &str, port: u16, key: &PublicKey) -> String {
    format!("{} {}", host_pattern(host, port), openssh_key(key))
}

/// `type base64` of a key, without its comment.
fn openssh_key(key: &PublicKey) -> String {
    let bare = PublicKey::new(key.key_data().clone(), "");
    match bare.to_openssh() {
        Ok(text) => text.trim().to_string(),
        // Only keys we could not encode would land here; they cannot have come off the
        // wire either, so fall back to the algorithm name alone.
        Err(_) => key.algorithm().to_string(),
    }
}

/// Checks `key` for `host:port` against the `known_hosts` file at `path`.
/// A missing file is an empty one.
///
/// Exists for `check_server_key`; see [`check_text`] for the rules.
pub fn check(path: &Path, host: &str, port: u16, key: &PublicKey) -> io::Result<HostKeyStatus> {
    let text = read_or_empty(path)?;
    Ok(check_text(&text, path, host, port, key))
}

fn read_or_empty(path: &Path) -> io::Result<String> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(String::from_utf8_lossy(&bytes).into_owned()),
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(String::new()),
        Err(err) => Err(err),
    }
}

/// Checks `key` for `host:port` against the text of a `known_hosts` file (`path` is only
/// reported in the outcome).
///
/// Order of decisions, as in OpenSSH: a matching `@revoked` line wins; then a line with
/// exactly this key makes it [`HostKeyStatus::Known`]; then a line with another key of
/// the same type makes it [`HostKeyStatus::Changed`]; otherwise it is unknown.
pub fn check_text(
    text: &str,
    path: &Path,
    host: &str,
    port: u16,
    key: &PublicKey,
) -> HostKeyStatus {
    let name = host_pattern(host, port);
    let offered = key.key_data();
    let offered_type = key_type(&offered.algorithm());
    let mut changed_line = None;
    let mut other_key_lines = Vec::new();
    let mut known = false;
    for entry in entries(text).filter(|entry| entry.matches(&name)) {
        match entry.marker {
            Marker::Revoked => {
                if entry.key.key_data() == offered {
                    return HostKeyStatus::Revoked {
                        fingerprint: fingerprint(key),
                        line_number: entry.line_number,
                        path: path.to_path_buf(),
                    };
                }
            }
            Marker::None => {
                if entry.key.key_data() == offered {
                    known = true;
                } else if key_type(&entry.key.algorithm()) == offered_type {
                    changed_line.get_or_insert(entry.line_number);
                } else {
                    other_key_lines.push(entry.line_number);
                }
            }
        }
    }
    if known {
        return HostKeyStatus::Known;
    }
    match changed_line {
        Some(line) => HostKeyStatus::Changed {
            fingerprint: fingerprint(key),
            known_line_number: line,
            path: path.to_path_buf(),
        },
        None => HostKeyStatus::Unknown {
            fingerprint: fingerprint(key),
            line_to_add: line_for(host, port, key),
            other_key_lines,
        },
    }
}

/// The key algorithms recorded for `host:port` (not revoked), in file order, without
/// duplicates.
///
/// Exists so the client can ask the server for a key type it already knows first, as
/// OpenSSH does; otherwise a host with an RSA entry would offer its ed25519 key and look
/// unknown.
pub fn known_algorithms(path: &Path, host: &str, port: u16) -> io::Result<Vec<Algorithm>> {
    let text = read_or_empty(path)?;
    let name = host_pattern(host, port);
    let mut algorithms = Vec::new();
    for entry in entries(&text) {
        if entry.marker == Marker::None && entry.matches(&name) {
            let algorithm = entry.key.algorithm();
            if !algorithms.contains(&algorithm) {
                algorithms.push(algorithm);
            }
        }
    }
    Ok(algorithms)
}

/// A key type as OpenSSH compares them: RSA hash variants are one type, each ECDSA
/// curve is its own.
fn key_type(algorithm: &Algorithm) -> String {
    match algorithm {
        Algorithm::Rsa { .. } => "ssh-rsa".to_string(),
        other => other.to_string(),
    }
}

/// Serializes appends from this process, so two connects that accept the same new
/// host at once write one line.
static APPEND_LOCK: Mutex<()> = Mutex::new(());

/// Records `key` for `host:port` at the end of the `known_hosts` file at `path`, creating
/// the file and its directory if missing. Writes `[host]:port` when `port != 22`, and
/// nothing if the exact key is already recorded for that name.
///
/// Exists for `accept_new_host_keys` (OpenSSH `StrictHostKeyChecking=accept-new`).
pub fn append(path: &Path, host: &str, port: u16, key: &PublicKey) -> io::Result<()> {
    let _guard = APPEND_LOCK
        .lock()
        .unwrap_or_else(|poison| poison.into_inner());
    let existing = read_or_empty(path)?;
    if check_text(&existing, path, host, port, key) == HostKeyStatus::Known {
        return Ok(());
    }
    if let Some(parent) = path
        .parent()
        .filter(|parent| !parent.as_os_str().is_empty())
    {
        create_private_dir(parent)?;
    }
    let mut line = String::new();
    if !existing.is_empty() && !existing.ends_with('\n') {
        line.push('\n');
    }
    line.push_str(&line_for(host, port, key));
    line.push('\n');
    let mut file = OpenOptions::new().create(true).append(true).open(path)?;
    file.write_all(line.as_bytes())?;
    file.flush()
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dir)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Marker {
    None,
    Revoked,
}

/// One usable line of a `known_hosts` file.
struct Entry<'a> {
    line_number: usize,
    marker: Marker,
    hosts: &'a str,
    key: PublicKey,
}

impl Entry<'_> {
    /// Whether the host field matches `name` (already in `host_pattern` form).
    fn matches(&self, name: &str) -> bool {
        host_field_matches(self.hosts, name)
    }
}

/// The usable lines of a file: comments, blank lines, `@cert-authority` lines, unknown
/// markers and lines whose key does not parse are skipped.
fn entries(text: &str) -> impl Iterator<Item = Entry<'_>> {
    text.lines().enumerate().filter_map(|(index, line)| {
        let mut fields = line.split_ascii_whitespace();
        let first = fields.next()?;
        if first.starts_with('#') {
            return None;
        }
        let (marker, hosts) = match first {
            "@revoked" => (Marker::Revoked, fields.next()?),
            _ if first.starts_with('@') => return None,
            _ => (Marker::None, first),
        };
        let key_type = fields.next()?;
        let key_base64 = fields.next()?;
        let key = PublicKey::from_openssh(&format!("{key_type} {key_base64}")).ok()?;
        Some(Entry {
            line_number: index + 1,
            marker,
            hosts,
            key,
        })
    })
}

/// OpenSSH `match_hostname`: the comma-separated field matches when some pattern (or
/// hash) matches and no negated pattern does.
fn host_field_matches(field: &str, name: &str) -> bool {
    let mut positive = false;
    for pattern in field.split(',') {
        if let Some(hashed) = pattern.strip_prefix("|1|") {
            if hashed_matches(hashed, name) {
                positive = true;
            }
            continue;
        }
        let (negated, pattern) = match pattern.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, pattern),
        };
        if wildcard_matches(pattern.to_ascii_lowercase().as_bytes(), name.as_bytes()) {
            if negated {
                return false;
            }
            positive = true;
        }
    }
    positive
}

/// `salt|hash` (both base64): the hash is HMAC-SHA1 keyed with the salt over the name.
fn hashed_matches(salt_and_hash: &str, name: &str) -> bool {
    let Some((salt, hash)) = salt_and_hash.split_once('|') else {
        return false;
    };
    let (Ok(salt), Ok(hash)) = (Base64::decode_vec(salt), Base64::decode_vec(hash)) else {
        return false;
    };
    let Ok(mac) = hmac::Hmac::<sha1::Sha1>::new_from_slice(&salt) else {
        return false;
    };
    mac.chain_update(name.as_bytes())
        .verify_slice(&hash)
        .is_ok()
}

/// Glob match with `*` (any run, also empty) and `?` (one character), like OpenSSH
/// `match_pattern`. Iterative with one backtrack point, so no input can blow up.
fn wildcard_matches(pattern: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && (pattern[p] == b'?' || pattern[p] == text[t]) {
            p += 1;
            t += 1;
        } else if p < pattern.len() && pattern[p] == b'*' {
            star = Some((p, t));
            p += 1;
        } else if let Some((star_p, star_t)) = star {
            p = star_p + 1;
            t = star_t + 1;
            star = Some((star_p, star_t + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&byte| byte == b'*')
}

#[cfg(test)]
mod tests {
    use super::*;

    const ED_A: &str =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKau/JRX0/y6Xf4p4laArDM+YVmOjiWnsKUznN5CNu1k";
    const ED_A_FINGERPRINT: &str = "SHA256:SQI9nHTD/QT5a2dJ9+8n7Yen7ywKIyzxhevne7yrxAQ";
    const ED_B: &str =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIvxRkb5d8k8z4bt9I4cpeUnQOGeE7/hcgaOyXo3mRz9";
    const ECDSA: &str = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBG3vScQ9XfrF3ywoCu2cUNMuZjJ0IaLe4M1hBy148NEAsJaEqvrenEBJSjdLWhPA2o2dGyl/46c/PtSJOBwfmjg=";
    const RSA: &str = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDpLVTYwBDPMX+5eYX+bZKwjt5O+D14HDF6cA6rjwECeMFPJObJppodAW7k1Osy0zVDimImfSsWMC/OGaddvBjh+w/woNLxR3URpVZ5SjtFIXoPpSSSMD1o/1rldc5tZkb5e0+8JPxcbTVPDAX8veqXs3gqlBKUw4n9Grg52zti3Q==";

    fn key(text: &str) -> PublicKey {
        PublicKey::from_openssh(text).expect("test key parses")
    }

    fn status(file: &str, host: &str, port: u16, offered: &str) -> HostKeyStatus {
        check_text(file, Path::new("kh"), host, port, &key(offered))
    }

    fn is_unknown(status: &HostKeyStatus) -> bool {
        matches!(status, HostKeyStatus::Unknown { .. })
    }

    #[test]
    fn plain_name() {
        let file = format!("hmc01.example.com {ED_A}\n");
        assert_eq!(
            status(&file, "hmc01.example.com", 22, ED_A),
            HostKeyStatus::Known
        );
        assert_eq!(
            status(&file, "HMC01.Example.COM", 22, ED_A),
            HostKeyStatus::Known
        );
        assert!(is_unknown(&status(&file, "hmc02.example.com", 22, ED_A)));
        // A plain entry is for port 22 only.
        assert!(is_unknown(&status(&file, "hmc01.example.com", 2222, ED_A)));
    }

    #[test]
    fn comma_list_and_comment() {
        let file = format!("hmc01,10.0.0.5 {ED_A} root@hmc01\n");
        assert_eq!(status(&file, "10.0.0.5", 22, ED_A), HostKeyStatus::Known);
        assert_eq!(status(&file, "hmc01", 22, ED_A), HostKeyStatus::Known);
        assert!(is_unknown(&status(&file, "10.0.0.50", 22, ED_A)));
    }

    #[test]
    fn bracketed_host_and_port() {
        let file = format!("[127.0.0.1]:2222 {ED_A}\n");
        assert_eq!(status(&file, "127.0.0.1", 2222, ED_A), HostKeyStatus::Known);
        assert!(is_unknown(&status(&file, "127.0.0.1", 22, ED_A)));
        assert!(is_unknown(&status(&file, "127.0.0.1", 2223, ED_A)));
        let explicit_22 = format!("[127.0.0.1]:22 {ED_A}\n");
        assert!(is_unknown(&status(&explicit_22, "127.0.0.1", 22, ED_A)));
    }

    #[test]
    fn wildcards_and_negation() {
        let file = format!("*.example.com,!bad.example.com {ED_A}\nhmc?? {ED_B}\n");
        assert_eq!(
            status(&file, "hmc01.example.com", 22, ED_A),
            HostKeyStatus::Known
        );
        assert!(is_unknown(&status(&file, "bad.example.com", 22, ED_A)));
        assert_eq!(status(&file, "hmc07", 22, ED_B), HostKeyStatus::Known);
        assert!(is_unknown(&status(&file, "hmc7", 22, ED_B)));
        assert!(wildcard_matches(b"*", b""));
        assert!(wildcard_matches(b"a*b*c", b"aXXbYYbc"));
        assert!(!wildcard_matches(b"a*b*c", b"aXXbYYb"));
    }

    /// Salt bytes 1..=20; hashes computed by hand with Python's
    /// `hmac.new(salt, name, hashlib.sha1)` for `hmc01.example.com` and `[10.0.0.5]:2222`.
    #[test]
    fn hashed_hand_computed() {
        let file = format!(
            "|1|AQIDBAUGBwgJCgsMDQ4PEBESExQ=|6JOCp4Xq0KUzmbfIsjuRQmjXSAI= {ED_A}\n\
             |1|AQIDBAUGBwgJCgsMDQ4PEBESExQ=|yqq4/8uLiKNI/CREZ7cD3w9OMcw= {ED_B}\n"
        );
        assert_eq!(
            status(&file, "hmc01.example.com", 22, ED_A),
            HostKeyStatus::Known
        );
        assert_eq!(status(&file, "10.0.0.5", 2222, ED_B), HostKeyStatus::Known);
        assert!(is_unknown(&status(&file, "hmc02.example.com", 22, ED_A)));
        assert!(is_unknown(&status(&file, "10.0.0.5", 22, ED_B)));
        // A hash for the name with another key of the same type: changed.
        assert!(matches!(
            status(&file, "hmc01.example.com", 22, ED_B),
            HostKeyStatus::Changed {
                known_line_number: 1,
                ..
            }
        ));
    }

    #[test]
    fn hashed_by_ssh_keygen() {
        if let Err(error) = std::process::Command::new("ssh-keygen").arg("-?").output() {
            panic!(
                "ssh-keygen does not run ({error}): run the tests with scripts/test, which \
                 installs openssh-client"
            );
        }
        let dir = std::env::temp_dir().join(format!(
            "powerdeck-known-hosts-{}-{}",
            std::process::id(),
            rand::random::<u32>()
        ));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let file = dir.join("known_hosts");
        std::fs::write(
            &file,
            format!("hmc01.example.com,10.1.2.3 {ED_A}\n[nim01]:2022 {RSA}\n"),
        )
        .expect("write known_hosts");
        let output = std::process::Command::new("ssh-keygen")
            .arg("-H")
            .arg("-f")
            .arg(&file)
            .output()
            .expect("run ssh-keygen -H");
        assert!(output.status.success(), "ssh-keygen -H failed: {output:?}");
        let hashed = std::fs::read_to_string(&file).expect("read hashed file");
        let _ = std::fs::remove_dir_all(&dir);
        assert!(!hashed.contains("hmc01"), "not hashed: {hashed}");
        assert!(
            hashed.lines().all(|line| line.starts_with("|1|")),
            "{hashed}"
        );
        let check = |host: &str, port: u16, offered: &str| {
            check_text(&hashed, Path::new("kh"), host, port, &key(offered))
        };
        assert_eq!(check("hmc01.example.com", 22, ED_A), HostKeyStatus::Known);
        assert_eq!(check("10.1.2.3", 22, ED_A), HostKeyStatus::Known);
        assert_eq!(check("nim01", 2022, RSA), HostKeyStatus::Known);
        assert!(is_unknown(&check("nim01", 22, RSA)));
        assert!(matches!(
            check("10.1.2.3", 22, ED_B),
            HostKeyStatus::Changed { .. }
        ));
    }

    #[test]
    fn revoked_key_is_refused_even_when_listed() {
        let file = format!("hmc01 {ED_A}\n@revoked * {ED_A}\n");
        assert_eq!(
            status(&file, "hmc01", 22, ED_A),
            HostKeyStatus::Revoked {
                fingerprint: ED_A_FINGERPRINT.to_string(),
                line_number: 2,
                path: PathBuf::from("kh"),
            }
        );
        // Revocation of another key does not concern this one.
        let file = format!("hmc01 {ED_A}\n@revoked * {ED_B}\n");
        assert_eq!(status(&file, "hmc01", 22, ED_A), HostKeyStatus::Known);
    }

    #[test]
    fn cert_authority_comments_blank_and_garbage_are_skipped() {
        let file = format!(
            "# a comment\n\n   \n@cert-authority *.example.com {ED_B}\n\
             hmc01 ssh-ed25519 not-base64!\nhmc01 sk-ssh-ed25519@openssh.com AAAA\n\
             hmc01\nhmc01 {ED_A}\n"
        );
        assert_eq!(status(&file, "hmc01", 22, ED_A), HostKeyStatus::Known);
        // The CA key is not a host key for hmc01.example.com.
        assert!(is_unknown(&status(&file, "hmc01.example.com", 22, ED_B)));
    }

    #[test]
    fn changed_key_names_the_line() {
        let file = format!("# header\nhmc01 {ECDSA}\nhmc01 {ED_B}\n");
        assert_eq!(
            status(&file, "hmc01", 22, ED_A),
            HostKeyStatus::Changed {
                fingerprint: ED_A_FINGERPRINT.to_string(),
                known_line_number: 3,
                path: PathBuf::from("kh"),
            }
        );
    }

    #[test]
    fn other_key_types_make_it_unknown_not_changed() {
        let file = format!("hmc01 {RSA}\nhmc01 {ECDSA}\n");
        match status(&file, "hmc01", 22, ED_A) {
            HostKeyStatus::Unknown {
                fingerprint,
                line_to_add,
                other_key_lines,
            } => {
                assert_eq!(fingerprint, ED_A_FINGERPRINT);
                assert_eq!(line_to_add, format!("hmc01 {ED_A}"));
                assert_eq!(other_key_lines, vec![1, 2]);
            }
            other => panic!("expected Unknown, got {other:?}"),
        }
        assert_eq!(status(&file, "hmc01", 22, RSA), HostKeyStatus::Known);
        assert_eq!(status(&file, "hmc01", 22, ECDSA), HostKeyStatus::Known);
    }

    #[test]
    fn line_for_uses_brackets_for_other_ports() {
        assert_eq!(line_for("Hmc01", 22, &key(ED_A)), format!("hmc01 {ED_A}"));
        assert_eq!(
            line_for("127.0.0.1", 2222, &key(&format!("{ED_A} some comment"))),
            format!("[127.0.0.1]:2222 {ED_A}")
        );
    }

    #[test]
    fn append_creates_file_and_directory_and_is_idempotent() {
        let dir = std::env::temp_dir().join(format!(
            "powerdeck-append-{}-{}",
            std::process::id(),
            rand::random::<u32>()
        ));
        let file = dir.join("nested/known_hosts");
        append(&file, "127.0.0.1", 2222, &key(ED_A)).expect("append");
        append(&file, "127.0.0.1", 2222, &key(ED_A)).expect("append again");
        let text = std::fs::read_to_string(&file).expect("read back");
        assert_eq!(text, format!("[127.0.0.1]:2222 {ED_A}\n"));
        // A file without a final newline gets one before the new line.
        std::fs::write(&file, format!("hmc01 {ED_B}")).expect("rewrite");
        append(&file, "hmc02", 22, &key(ED_A)).expect("append");
        let text = std::fs::read_to_string(&file).expect("read back");
        assert_eq!(text, format!("hmc01 {ED_B}\nhmc02 {ED_A}\n"));
        assert_eq!(
            check(&file, "hmc02", 22, &key(ED_A)).expect("check"),
            HostKeyStatus::Known
        );
        assert_eq!(
            known_algorithms(&file, "hmc01", 22).expect("algorithms"),
            vec![Algorithm::Ed25519]
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn missing_file_means_unknown() {
        let missing = Path::new("/nonexistent/powerdeck/known_hosts");
        assert!(is_unknown(
            &check(missing, "hmc01", 22, &key(ED_A)).expect("missing file is empty")
        ));
    }
}
