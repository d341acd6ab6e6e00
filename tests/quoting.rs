//! Remote command lines carry every name unchanged, whatever it contains.
//!
//! The properties run the exact `line()` of built commands through real POSIX shells —
//! `sh -c` (dash on Debian) and `bash -r -c` (restricted bash, like the HMC's login shell,
//! here in a UTF-8 locale) — with a shell function named like the program in front that
//! prints the argv it receives, NUL-separated, and compare it with `argv()`. Attribute
//! lists (`-i`, `-a`, `--filter`, `-p a,b`) are then decoded with a reference decoder of
//! the two-level CSV grammar of docs/formats.md, "HMC: quoting", written here independently
//! of the encoder.
//!
//! The shells run with an empty environment, `PATH` pointing nowhere and a scratch working
//! directory, so that a quoting bug shows up as a failed comparison and cannot run
//! anything: the function and `printf` are all the shell can call.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use powerdeck::estate::NimClass;
use powerdeck::sources::aix::commands as aix;
use powerdeck::sources::command::{ArgumentError, Effect, RemoteCommand};
use powerdeck::sources::hmc::commands as hmc;
use powerdeck::sources::hmc::commands::{
    LicLevel, LicRepository, LicUpdateOp, LparPowerOp, MigrationOp, RefcodeOf, RemoteRestartOp,
    RsDeviceAssignment, SystemPowerOp,
};
use powerdeck::sources::nim::commands as nim;
use powerdeck::sources::quote::{self, hmc_attributes, HmcAttr};
use proptest::prelude::*;

// ---------------------------------------------------------------------------------------
// Real shells

/// The shells every property runs the command lines through.
#[derive(Debug, Clone, Copy)]
enum Shell {
    /// `sh -c`: dash, the strictest common POSIX shell; C locale.
    Sh,
    /// `bash -r -c`: restricted bash in a UTF-8 locale, as on the HMC.
    RestrictedBash,
}

const SHELLS: [Shell; 2] = [Shell::Sh, Shell::RestrictedBash];

fn shell_path(name: &str) -> PathBuf {
    ["/bin", "/usr/bin"]
        .iter()
        .map(|dir| Path::new(dir).join(name))
        .find(|path| path.exists())
        .unwrap_or_else(|| panic!("no {name} in /bin or /usr/bin: these tests need it"))
}

fn scratch_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("quoting");
    std::fs::create_dir_all(&dir).expect("cannot create a scratch directory");
    dir
}

/// Runs the command lines in one shell, each program replaced by a function printing
/// `$#`, its own name and `"$@"`, NUL-terminated; returns the argv each call received.
fn received(shell: Shell, commands: &[RemoteCommand]) -> Vec<Vec<String>> {
    let programs: BTreeSet<&str> = commands.iter().map(RemoteCommand::program).collect();
    let mut script = String::new();
    for program in &programs {
        script.push_str(&format!(
            "{program}() {{ printf '%s\\0' \"$#\" {program} \"$@\"; }}\n"
        ));
    }
    for command in commands {
        script.push_str(&command.line());
        script.push('\n');
    }
    let (program, options, locale): (&str, &[&str], &[(&str, &str)]) = match shell {
        Shell::Sh => ("sh", &[], &[]),
        Shell::RestrictedBash => ("bash", &["-r"], &[("LC_ALL", "C.UTF-8")]),
    };
    let output = Command::new(shell_path(program))
        .args(options)
        .arg("-c")
        .arg(&script)
        .env_clear()
        .env("PATH", "/nonexistent")
        .envs(locale.iter().copied())
        .current_dir(scratch_dir())
        .stdin(Stdio::null())
        .output()
        .expect("cannot run the shell");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && stderr.is_empty(),
        "{shell:?} failed ({}): {stderr}\nscript:\n{script}",
        output.status
    );
    let stdout = String::from_utf8(output.stdout).expect("the shell changed bytes: not UTF-8");
    let mut words = stdout.split('\0');
    let mut calls = Vec::new();
    while let Some(count) = words.next() {
        if count.is_empty() {
            break;
        }
        let count: usize = count.parse().expect("argument count");
        let argv: Vec<String> = words.by_ref().take(count + 1).map(str::to_string).collect();
        assert_eq!(argv.len(), count + 1, "truncated output from {shell:?}");
        calls.push(argv);
    }
    calls
}

/// Asserts that every shell hands every program exactly `argv()`.
fn assert_round_trip(commands: &[RemoteCommand]) -> Vec<Vec<String>> {
    let expected: Vec<Vec<String>> = commands
        .iter()
        .map(|command| command.argv().into_iter().map(str::to_string).collect())
        .collect();
    let mut last = Vec::new();
    for shell in SHELLS {
        let got = received(shell, commands);
        assert_eq!(
            got.len(),
            expected.len(),
            "{shell:?} ran a different number of commands"
        );
        for ((got, expected), command) in got.iter().zip(&expected).zip(commands) {
            assert_eq!(
                got,
                expected,
                "{shell:?} changed the arguments of: {}",
                command.line()
            );
        }
        last = got;
    }
    last
}

// ---------------------------------------------------------------------------------------
// Reference decoder of docs/formats.md, "HMC: quoting", independent of powerdeck's encoder

/// CSV with `,` as separator, `"` as quote and `""` as an escaped quote inside quotes.
/// A quote may open anywhere in a field (the published `vios_names="vios1,vios2"` of
/// docs/formats.md, "HMC: reserved storage").
fn csv_split(text: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(std::mem::take(&mut field)),
            c => field.push(c),
        }
    }
    assert!(!quoted, "unterminated quote in {text:?}");
    fields.push(field);
    fields
}

/// Level 1: the `attr=value` fields, split on the first `=`.
fn decode_attributes(text: &str) -> Vec<(String, String)> {
    csv_split(text)
        .into_iter()
        .map(|field| {
            let (name, value) = field
                .split_once('=')
                .unwrap_or_else(|| panic!("field without '=': {field:?}"));
            (name.to_string(), value.to_string())
        })
        .collect()
}

/// Level 2: the elements of a list value.
fn decode_list(value: &str) -> Vec<String> {
    csv_split(value)
}

/// The word following `option` in a received argv.
fn after<'a>(argv: &'a [String], option: &str) -> &'a str {
    let at = argv
        .iter()
        .position(|word| word == option)
        .unwrap_or_else(|| panic!("no {option} in {argv:?}"));
    &argv[at + 1]
}

// ---------------------------------------------------------------------------------------
// Strategies

/// Pieces that mean something to a shell, to the HMC's CSV grammar or to a terminal.
const NASTY: &[&str] = &[
    " ",
    "'",
    "\"",
    ";",
    "|",
    "&",
    "$(",
    ")",
    "(",
    "`",
    "*",
    "?",
    "[",
    "]",
    "~",
    "-",
    ",",
    "=",
    "\n",
    "\t",
    "\r",
    "\\",
    "!",
    "#",
    "{",
    "}",
    "<",
    ">",
    "$",
    "%",
    "@",
    ":",
    "^",
    "'\\''",
    "\"\"",
    "$HOME",
    "${IFS}",
    "$(id)",
    "`id`",
    "~root",
    "--",
    "&&",
    "||",
    ";reboot",
    ">x",
    "*.*",
    "{a,b}",
    "\\n",
    "é",
    "ł",
    "ó",
    "Zespół",
    "日本",
    "\u{200b}",
    "\u{feff}",
    "\u{7f}",
    "\u{1b}[0m",
    "\u{a0}",
    "\u{1f600}",
];

/// One piece of a name: mostly nasty, some plain, some any character but NUL.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        5 => prop::sample::select(NASTY).prop_map(str::to_string),
        4 => "[A-Za-z0-9_./-]{1,4}",
        1 => any::<char>().prop_filter("no NUL", |c| *c != '\0').prop_map(String::from),
    ]
}

/// Any text without NUL: built from nasty pieces, or an arbitrary Unicode string.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::collection::vec(piece(), 0..8).prop_map(|pieces| pieces.concat()),
        1 => any::<String>().prop_map(|text| text.replace('\0', "")),
    ]
}

/// A name powerdeck accepts: any such text, made non-empty and not starting with `-`.
fn name() -> impl Strategy<Value = String> {
    text().prop_map(|text| {
        if text.is_empty() || text.starts_with('-') {
            format!("n{text}")
        } else {
            text
        }
    })
}

/// Names for every role in the builders.
#[derive(Debug, Clone)]
struct Names(Vec<String>);

impl Names {
    fn get(&self, index: usize) -> &str {
        &self.0[index % self.0.len()]
    }
}

fn names() -> impl Strategy<Value = Names> {
    prop::collection::vec(name(), 16).prop_map(Names)
}

// ---------------------------------------------------------------------------------------
// Every builder, fed the names

fn hmc_commands(n: &Names) -> Result<Vec<RemoteCommand>, ArgumentError> {
    let (sys, dst, lpar, lpar2) = (n.get(0), n.get(1), n.get(2), n.get(3));
    let (prof, vios1, vios2, dev) = (n.get(4), n.get(5), n.get(6), n.get(7));
    let (host, user, dir, key, level) = (n.get(8), n.get(9), n.get(10), n.get(11), n.get(12));
    let repositories = [
        LicRepository::IbmWebsite,
        LicRepository::Disk,
        LicRepository::Mountpoint { directory: dir },
        LicRepository::Ftp {
            host,
            user,
            directory: Some(dir),
        },
        LicRepository::Sftp {
            host,
            user,
            ssh_key: Some(key),
            directory: None,
        },
    ];
    let mut commands = vec![
        hmc::lssyscfg_sys(None, &[])?,
        hmc::lssyscfg_sys(Some(sys), &["name", "state"])?,
        hmc::lssyscfg_lpar(sys, &[], &[])?,
        hmc::lssyscfg_lpar(sys, &[lpar], &["state"])?,
        hmc::lssyscfg_lpar(sys, &[lpar, lpar2], &["name", "state", "rmc_state"])?,
        hmc::lssyscfg_prof(sys, &[lpar], &[prof], &["name"])?,
        hmc::lssyscfg_prof(sys, &[lpar, lpar2], &[], &[])?,
        hmc::lshwres_rspool(sys)?,
        hmc::lshwres_rsdev(sys)?,
        hmc::lslic_sys(sys, &["ecnumber", "activated_level"])?,
        hmc::lslparmigr_lpar(sys, &[lpar, lpar2], &[])?,
        hmc::lsrefcode(sys, RefcodeOf::System, Some(3), &[])?,
        hmc::lsrefcode(
            sys,
            RefcodeOf::Partitions(&[lpar]),
            None,
            &["time_stamp", "refcode"],
        )?,
        hmc::lshmc_version(),
        hmc::lsrsdevsize(sys, lpar)?,
        hmc::lsmemdev_avail(sys, &[vios1, vios2])?,
        hmc::migrlpar(sys, lpar, MigrationOp::Validate { target: dst })?,
        hmc::migrlpar(sys, lpar, MigrationOp::Migrate { target: dst })?,
        hmc::migrlpar(sys, lpar, MigrationOp::Stop)?,
        hmc::migrlpar(sys, lpar, MigrationOp::Recover)?,
        hmc::rrstartlpar(
            sys,
            lpar,
            RemoteRestartOp::Validate {
                target: dst,
                no_connection: false,
            },
        )?,
        hmc::rrstartlpar(
            sys,
            lpar,
            RemoteRestartOp::Restart {
                target: dst,
                no_connection: false,
            },
        )?,
        hmc::rrstartlpar(
            sys,
            lpar,
            RemoteRestartOp::Cleanup {
                retain_device: true,
                force: true,
            },
        )?,
        hmc::rrstartlpar(sys, lpar, RemoteRestartOp::Cancel { force: false })?,
        hmc::rrstartlpar(sys, lpar, RemoteRestartOp::Recover { force: true })?,
        hmc::chsysstate_sys(sys, SystemPowerOp::OffImmediate)?,
        hmc::chsysstate_lpar(
            sys,
            lpar,
            LparPowerOp::On {
                profile: Some(prof),
            },
        )?,
        hmc::chsysstate_lpar(sys, lpar, LparPowerOp::OsShutdown { immediate: true })?,
        hmc::chhwres_rspool_create(sys, &[vios1, vios2])?,
        hmc::chhwres_rsdev_add(sys, vios1, dev)?,
        hmc::chsyscfg_rs_device(
            sys,
            &RsDeviceAssignment {
                lpar,
                primary_vios: vios1,
                secondary_vios: Some(vios2),
                device: dev,
            },
        )?,
        hmc::updlic_accept(sys)?,
        hmc::refdev(sys, lpar)?,
    ];
    for repository in &repositories {
        commands.push(hmc::lslic_retrievable(sys, repository)?);
        commands.push(hmc::updlic(
            sys,
            LicUpdateOp::Activate {
                allow_power_off: true,
            },
            repository,
            LicLevel::Level(level),
        )?);
    }
    Ok(commands)
}

fn aix_commands(n: &Names) -> Result<Vec<RemoteCommand>, ArgumentError> {
    let (wpar, wpar2, file, dir) = (n.get(13), n.get(14), n.get(15), n.get(10));
    Ok(vec![
        aix::lswpar(&[])?,
        aix::lswpar(&[wpar, wpar2])?,
        aix::lswpar_fields(&["name", "state", "directory"], &[wpar])?,
        aix::lswpar_general(wpar)?,
        aix::startwpar(wpar, true)?,
        aix::stopwpar(wpar, true, true)?,
        aix::rmwpar(wpar, true, true)?,
        aix::savewpar(wpar, file, true)?,
        aix::restwpar(
            file,
            aix::Restore {
                new_name: Some(wpar2),
                start: true,
                compatible: true,
            },
        )?,
        aix::mkwpar_from_spec(file, true)?,
        aix::mkwpar_write_spec(wpar, file)?,
        aix::syncwpar(wpar, true)?,
        aix::migwpar(wpar, Some(dir))?,
        aix::umount_force(dir)?,
        aix::oslevel(),
    ])
}

fn nim_commands(n: &Names) -> Result<Vec<RemoteCommand>, ArgumentError> {
    let (client, other) = (n.get(2), n.get(13));
    Ok(vec![
        nim::lsnim(),
        nim::lsnim_long(None)?,
        nim::lsnim_long(Some(client))?,
        nim::lsnim_class(&NimClass::Machines)?,
        nim::lsnim_class(&NimClass::Other(other.to_string()))?,
        nim::lsnim_type(other)?,
        nim::nim_reset(client, true)?,
        nim::nim_deallocate_all(client)?,
        nim::nim_sync(other, true)?,
        nim::nim_takeover(other)?,
        nim::nim_check(client)?,
        nim::nim_lslpp(client)?,
    ])
}

// ---------------------------------------------------------------------------------------
// Properties

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// `quote::shell` itself: any words (not NUL) reach the program unchanged.
    #[test]
    fn quoted_words_reach_the_program_unchanged(words in prop::collection::vec(text(), 0..12)) {
        let mut command = RemoteCommand::read("lssyscfg");
        for word in &words {
            command = command.arg("word", word.as_str()).unwrap();
        }
        let line = command.line();
        prop_assert!(!line.contains('\0'));
        assert_round_trip(&[command]);
    }

    /// Every HMC, AIX and NIM builder: the argv survives both shells, `LANG=C`/`LC_ALL=C`
    /// prefix included.
    #[test]
    fn every_builder_survives_the_remote_shell(n in names()) {
        let mut commands = hmc_commands(&n).unwrap();
        commands.extend(aix_commands(&n).unwrap());
        commands.extend(nim_commands(&n).unwrap());
        assert_round_trip(&commands);
    }

    /// What the HMC receives in `--filter`, `-i`, `-a` and `-p a,b` decodes, with the
    /// reference grammar of docs/formats.md, "HMC: quoting", to exactly the names given.
    #[test]
    fn attribute_lists_decode_to_the_original_names(n in names()) {
        let (sys, lpar, lpar2, prof) = (n.get(0), n.get(2), n.get(3), n.get(4));
        let (vios1, vios2, dev) = (n.get(5), n.get(6), n.get(7));
        let commands = [
            hmc::lssyscfg_lpar(sys, &[lpar, lpar2], &[]).unwrap(),
            hmc::lssyscfg_prof(sys, &[lpar], &[prof, lpar2], &[]).unwrap(),
            hmc::chsyscfg_rs_device(
                sys,
                &RsDeviceAssignment { lpar, primary_vios: vios1, secondary_vios: Some(vios2), device: dev },
            )
            .unwrap(),
            hmc::chhwres_rspool_create(sys, &[vios1, vios2]).unwrap(),
            hmc::lsmemdev_avail(sys, &[vios1, vios2]).unwrap(),
        ];
        let got = assert_round_trip(&commands);
        let s = |text: &str| text.to_string();

        let filter = decode_attributes(after(&got[0], "--filter"));
        prop_assert_eq!(filter.len(), 1);
        prop_assert_eq!(&filter[0].0, "lpar_names");
        prop_assert_eq!(decode_list(&filter[0].1), vec![s(lpar), s(lpar2)]);

        let filter = decode_attributes(after(&got[1], "--filter"));
        prop_assert_eq!(filter.len(), 2);
        prop_assert_eq!(&filter[0].0, "lpar_names");
        prop_assert_eq!(decode_list(&filter[0].1), vec![s(lpar)]);
        prop_assert_eq!(&filter[1].0, "profile_names");
        prop_assert_eq!(decode_list(&filter[1].1), vec![s(prof), s(lpar2)]);

        let input = decode_attributes(after(&got[2], "-i"));
        prop_assert_eq!(
            input,
            vec![
                (s("name"), s(lpar)),
                (s("primary_rs_vios_name"), s(vios1)),
                (s("secondary_rs_vios_name"), s(vios2)),
                (s("rs_device_name"), s(dev)),
            ]
        );

        let attrs = decode_attributes(after(&got[3], "-a"));
        prop_assert_eq!(attrs.len(), 1);
        prop_assert_eq!(&attrs[0].0, "vios_names");
        prop_assert_eq!(decode_list(&attrs[0].1), vec![s(vios1), s(vios2)]);

        prop_assert_eq!(decode_list(after(&got[4], "-p")), vec![s(vios1), s(vios2)]);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    /// Safe words pass through unquoted; everything else comes back single-quoted.
    #[test]
    fn only_unsafe_words_are_quoted(word in text()) {
        let quoted = quote::shell(&word);
        let safe = !word.is_empty()
            && word.bytes().all(|b| b.is_ascii_alphanumeric() || b"_@%+=:,./-".contains(&b));
        if safe {
            prop_assert_eq!(quoted.as_ref(), word.as_str());
        } else {
            prop_assert!(quoted.starts_with('\'') && quoted.ends_with('\''), "{}", quoted);
        }
    }

    /// Any value at all, NUL and leading `-` included: a builder either refuses it with
    /// the error that names the problem, or takes it unchanged into argv.
    #[test]
    fn builders_refuse_exactly_the_unsendable_names(
        value in prop_oneof![
            4 => text(),
            1 => (text(), text()).prop_map(|(a, b)| format!("{a}\0{b}")),
            1 => text().prop_map(|text| format!("-{text}")),
        ]
    ) {
        let results = [
            hmc::lssyscfg_lpar(&value, &[], &[]),
            hmc::lssyscfg_lpar("sys", &[value.as_str()], &[]),
            hmc::migrlpar("sys", &value, MigrationOp::Stop),
            hmc::chhwres_rspool_create("sys", &[value.as_str()]),
            hmc::lsmemdev_avail("sys", &[value.as_str()]),
            hmc::updlic("sys", LicUpdateOp::Install, &LicRepository::Disk, LicLevel::Level(&value)),
            aix::startwpar(&value, false),
            aix::umount_force(&value),
            nim::nim_reset(&value, false),
        ];
        for result in results {
            match result {
                Ok(command) => {
                    prop_assert!(!value.is_empty() && !value.starts_with('-') && !value.contains('\0'));
                    prop_assert!(!command.line().contains('\0'));
                }
                Err(ArgumentError::Empty { .. }) => prop_assert!(value.is_empty()),
                Err(ArgumentError::LeadingDash { value: refused, .. }) => {
                    prop_assert!(value.starts_with('-'));
                    prop_assert_eq!(refused, value.clone());
                }
                Err(ArgumentError::Nul { value: refused, .. }) => {
                    prop_assert!(value.contains('\0') && !value.starts_with('-') && !value.is_empty());
                    prop_assert_eq!(refused, value.clone());
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Readable output and the published examples of docs/formats.md

fn line_without_locale(command: &RemoteCommand) -> String {
    let line = command.line();
    line.strip_prefix("LANG=C ")
        .or_else(|| line.strip_prefix("LC_ALL=C "))
        .expect("every builder sets the locale")
        .to_string()
}

#[test]
fn safe_names_stay_readable() {
    let command = hmc::lssyscfg_lpar("p750-01", &["lpar1"], &[]).unwrap();
    assert_eq!(
        command.line(),
        "LANG=C lssyscfg -r lpar -m p750-01 --filter lpar_names=lpar1"
    );
    let command = hmc::lssyscfg_lpar("p750-01", &["lpar1", "lpar2"], &["name", "state"]).unwrap();
    assert_eq!(
        command.line(),
        "LANG=C lssyscfg -r lpar -m p750-01 --filter '\"lpar_names=lpar1,lpar2\"' -F name,state"
    );
    assert_eq!(
        aix::lswpar(&["wpar1"]).unwrap().line(),
        "LC_ALL=C lswpar -cq wpar1"
    );
    assert_eq!(
        hmc::lssyscfg_sys(Some("Server 1 (prod)"), &[])
            .unwrap()
            .line(),
        "LANG=C lssyscfg -r sys -m 'Server 1 (prod)'"
    );
}

#[test]
fn reference_attribute_lists_encode_identically() {
    // docs/formats.md, "HMC: quoting": lssyscfg -r prof of the partition "dump".
    assert_eq!(
        hmc_attributes(&[HmcAttr::list("virtual_eth_adapters", ["2/1/1/3,4,5/0/1"])]),
        r#""virtual_eth_adapters=""2/1/1/3,4,5/0/1""""#
    );
    assert_eq!(
        hmc_attributes(&[HmcAttr::list(
            "virtual_serial_adapters",
            ["0/server/1/any//any/1", "1/server/1/any//any/1"]
        )]),
        r#""virtual_serial_adapters=0/server/1/any//any/1,1/server/1/any//any/1""#
    );
    // docs/formats.md, "HMC: quoting": the parser test lines of ziutus/hmc_vios_aix.
    assert_eq!(
        hmc_attributes(&[
            HmcAttr::single("virtual_scsi_adapters", "none"),
            HmcAttr::list(
                "virtual_eth_adapters",
                ["3/1/1/10/0/1", "2/1/1/3,4,5/0/1", "3/1/1/10/0/1"]
            ),
            HmcAttr::single("hca_adapters", "none"),
        ]),
        r#"virtual_scsi_adapters=none,"virtual_eth_adapters=3/1/1/10/0/1,""2/1/1/3,4,5/0/1"",3/1/1/10/0/1",hca_adapters=none"#
    );
    assert_eq!(
        hmc_attributes(&[HmcAttr::list(
            "virtual_fc_adapters",
            [
                "504/client/2/vio_server1/8/c050760431670010,c050760431670011/1",
                "604/client/3/vio_server2/5/c050760431670012,c050760431670013/1",
            ]
        )]),
        r#""virtual_fc_adapters=""504/client/2/vio_server1/8/c050760431670010,c050760431670011/1"",""604/client/3/vio_server2/5/c050760431670012,c050760431670013/1""""#
    );
    // docs/formats.md, "HMC: quoting": a quoted single value (lssvcevents).
    assert_eq!(
        hmc_attributes(&[HmcAttr::single(
            "text",
            "ACT04285I Zespół FSP, BPA lub BPC nie odpowiada"
        )]),
        r#""text=ACT04285I Zespół FSP, BPA lub BPC nie odpowiada""#
    );
    // docs/formats.md, "HMC: quoting": the chhwres -a form checked live.
    assert_eq!(
        hmc_attributes(&[
            HmcAttr::single("port_vlan_id", "0"),
            HmcAttr::list("backing_devices", ["dev1", "dev2"]),
        ]),
        r#"port_vlan_id=0,"backing_devices=dev1,dev2""#
    );
}

/// Runs a published command line through `sh` and returns the argv it delivers.
fn argv_of_reference_line(program: &'static str, line: &str) -> Vec<String> {
    let script = format!("{program}() {{ printf '%s\\0' {program} \"$@\"; }}\n{line}\n");
    let output = Command::new(shell_path("sh"))
        .arg("-c")
        .arg(script)
        .env_clear()
        .env("PATH", "/nonexistent")
        .current_dir(scratch_dir())
        .output()
        .expect("cannot run sh");
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    stdout
        .strip_suffix('\0')
        .unwrap()
        .split('\0')
        .map(str::to_string)
        .collect()
}

/// The published `-a vios_names=\"vios1,vios2\"` (docs/formats.md, "HMC: reserved
/// storage") and powerdeck's `"vios_names=vios1,vios2"` are different strings that mean
/// the same to the grammar of "HMC: quoting".
#[test]
fn rspool_creation_matches_the_seed_blog() {
    let seed = argv_of_reference_line(
        "chhwres",
        r#"chhwres -r rspool -m source-machine -o a -a vios_names=\"vios1,vios2\""#,
    );
    let ours = hmc::chhwres_rspool_create("source-machine", &["vios1", "vios2"]).unwrap();
    assert_eq!(
        ours.line(),
        r#"LANG=C chhwres -r rspool -m source-machine -o a -a '"vios_names=vios1,vios2"'"#
    );
    let got = &received(Shell::Sh, std::slice::from_ref(&ours))[0];
    let seed_attrs = decode_attributes(after(&seed, "-a"));
    let our_attrs = decode_attributes(after(got, "-a"));
    assert_eq!(seed_attrs, our_attrs);
    assert_eq!(decode_list(&our_attrs[0].1), ["vios1", "vios2"]);
    assert_eq!(seed[..8], got[..8]);
}

/// Published command lines (the forms docs/formats.md and docs/procedures.md show), built
/// by powerdeck: the same argv.
#[test]
fn reference_command_lines_are_reproduced() {
    let cases: Vec<(RemoteCommand, &str)> = vec![
        (
            hmc::rrstartlpar("source-machine", "rrlpar", RemoteRestartOp::Validate {
                target: "dest-machine",
                no_connection: false,
            }).unwrap(),
            "rrstartlpar -o validate -m source-machine -t dest-machine -p rrlpar",
        ),
        (
            hmc::chsysstate_sys("source-machine", SystemPowerOp::OffImmediate).unwrap(),
            "chsysstate -r sys -m source-machine -o off --immed",
        ),
        (
            hmc::chsysstate_lpar("source-machine", "vios1", LparPowerOp::On { profile: Some("default_profile") }).unwrap(),
            "chsysstate -r lpar -m source-machine -o on -n vios1 -f default_profile",
        ),
        (
            hmc::rrstartlpar("source-machine", "rrlpar", RemoteRestartOp::Cleanup { retain_device: true, force: true }).unwrap(),
            "rrstartlpar -o cleanup -m source-machine -p rrlpar --retaindev --force",
        ),
        (
            hmc::migrlpar("SRC", "LPAR", MigrationOp::Validate { target: "DST" }).unwrap(),
            "migrlpar -o v -m SRC -t DST -p LPAR",
        ),
        (
            hmc::migrlpar("SRC", "LPAR", MigrationOp::Recover).unwrap(),
            "migrlpar -o r -m SRC -p LPAR",
        ),
        (
            hmc::chhwres_rsdev_add("source-machine", "vios1", "hdisk988").unwrap(),
            "chhwres -r rspool -m source-machine -o a -p vios1 --rsubtype rsdev --device hdisk988 --manual",
        ),
        (
            hmc::lshwres_rsdev("source-machine").unwrap(),
            "lshwres -r rspool -m source-machine --rsubtype rsdev",
        ),
        (
            hmc::lsmemdev_avail("source-machine", &["vios1", "vios2"]).unwrap(),
            "lsmemdev -r avail -m source-machine -p vios1,vios2",
        ),
        (
            hmc::lsrsdevsize("source-machine", "temp3-b642c120-00000133").unwrap(),
            "lsrsdevsize -m source-machine -p temp3-b642c120-00000133",
        ),
        (
            hmc::chsyscfg_rs_device(
                "source-machine",
                &RsDeviceAssignment {
                    lpar: "LPAR",
                    primary_vios: "vios1",
                    secondary_vios: Some("vios2"),
                    device: "hdisk988",
                },
            )
            .unwrap(),
            r#"chsyscfg -r lpar -m source-machine -i "name=LPAR,primary_rs_vios_name=vios1,secondary_rs_vios_name=vios2,rs_device_name=hdisk988""#,
        ),
        (
            hmc::lssyscfg_prof("SYS", &["LPAR"], &["PROF"], &["name", "virtual_scsi_adapters"]).unwrap(),
            r#"lssyscfg -r prof -m SYS --filter "lpar_names=LPAR,profile_names=PROF" -F name,virtual_scsi_adapters"#,
        ),
        (
            hmc::lslic_retrievable("p520express-8203-E4A-SN0666000", &LicRepository::Mountpoint { directory: "/home/hscroot/fw/" }).unwrap(),
            "lslic -m p520express-8203-E4A-SN0666000 -t sys -r mountpoint -d /home/hscroot/fw/ -F retrievable_release,concurrent_retrievable_level,disruptive_retrievable_level",
        ),
        (
            hmc::updlic_accept("SYS").unwrap(),
            "updlic -o c -m SYS",
        ),
        (
            hmc::refdev("sys1", "temp3-b642c120-00000133").unwrap(),
            "refdev -m sys1 -p temp3-b642c120-00000133",
        ),
        (hmc::lshmc_version(), "lshmc -V"),
        (
            aix::mkwpar_write_spec("mig_wpar_1", "mig_wpar_1.specfile").unwrap(),
            "mkwpar -w -e mig_wpar_1 -o mig_wpar_1.specfile",
        ),
        (
            aix::mkwpar_from_spec("/tmp/spec", true).unwrap(),
            "mkwpar -f /tmp/spec -p",
        ),
        (aix::syncwpar("wpar61", true).unwrap(), "syncwpar -D wpar61"),
        (
            aix::migwpar("mig_wpar_4", Some("/mnt")).unwrap(),
            "migwpar -d /mnt mig_wpar_4",
        ),
        (aix::rmwpar("wparm91", true, false).unwrap(), "rmwpar -F wparm91"),
        (
            aix::umount_force("/wpars/mig_wpar_3/SW").unwrap(),
            "umount -f /wpars/mig_wpar_3/SW",
        ),
        (
            nim::nim_sync("alternate_master", false).unwrap(),
            "nim -o sync -a force=yes -a replicate=yes alternate_master",
        ),
        (
            nim::nim_sync("nim_alternate", true).unwrap(),
            "nim -o sync -a force=yes -a replicate=yes -a reset_clients=yes nim_alternate",
        ),
        (
            nim::nim_takeover("nim_master").unwrap(),
            "nim -o takeover -a show_progress=yes nim_master",
        ),
        (
            nim::nim_deallocate_all("lpar2").unwrap(),
            "nim -o deallocate -a subclass=all lpar2",
        ),
        (nim::lsnim_class(&NimClass::Machines).unwrap(), "lsnim -c machines -l"),
        (nim::lsnim_type("alternate_master").unwrap(), "lsnim -t alternate_master"),
    ];
    for (command, reference) in cases {
        let expected = argv_of_reference_line(command.program(), reference);
        assert_eq!(command.argv(), expected, "{reference}");
        if !reference.contains('"') {
            assert_eq!(line_without_locale(&command), reference);
        }
    }
}

#[test]
fn readable_lines_of_the_other_forms() {
    let cases: Vec<(RemoteCommand, &str)> = vec![
        (
            hmc::updlic(
                "p520express-8203-E4A-SN0666000",
                LicUpdateOp::Activate { allow_power_off: false },
                &LicRepository::Mountpoint { directory: "/home/hscroot/fw" },
                LicLevel::Latest,
            )
            .unwrap(),
            "LANG=C updlic -o a -m p520express-8203-E4A-SN0666000 -t sys -r mountpoint -d /home/hscroot/fw -l latest",
        ),
        (
            hmc::updlic(
                "SYS",
                LicUpdateOp::Upgrade { allow_power_off: true },
                &LicRepository::Sftp { host: "fw.example.com", user: "fwuser", ssh_key: Some("fwkey"), directory: Some("/fw/01VL950") },
                LicLevel::Level("01VL950_045"),
            )
            .unwrap(),
            "LANG=C updlic -o u -m SYS -t sys -r sftp -h fw.example.com -u fwuser -k fwkey -d /fw/01VL950 -l 01VL950_045 --allowpoweroff",
        ),
        (
            hmc::updlic("SYS", LicUpdateOp::Install, &LicRepository::IbmWebsite, LicLevel::LatestConcurrent).unwrap(),
            "LANG=C updlic -o i -m SYS -t sys -r ibmwebsite -l latestconcurrent",
        ),
        (
            hmc::lsrefcode("ltczep4", RefcodeOf::Partitions(&["ltczep4-lp3"]), Some(10), &["time_stamp", "refcode"]).unwrap(),
            "LANG=C lsrefcode -r lpar -m ltczep4 -n 10 --filter lpar_names=ltczep4-lp3 -F time_stamp,refcode",
        ),
        (
            hmc::lslparmigr_lpar("SYS", &[], &[]).unwrap(),
            "LANG=C lslparmigr -r lpar -m SYS",
        ),
        (
            hmc::chsysstate_lpar("SYS", "lpar1", LparPowerOp::Shutdown { immediate: true }).unwrap(),
            "LANG=C chsysstate -r lpar -m SYS -o shutdown -n lpar1 --immed",
        ),
        (
            hmc::rrstartlpar("SYS", "lpar1", RemoteRestartOp::Cancel { force: false }).unwrap(),
            "LANG=C rrstartlpar -o cancel -m SYS -p lpar1",
        ),
        (
            aix::savewpar("mig_wpar_2", "/savew/mig_2_savewpar", true).unwrap(),
            "LC_ALL=C savewpar -i -f /savew/mig_2_savewpar mig_wpar_2",
        ),
        (
            aix::restwpar(
                "/savew/mig_4_savewpar",
                aix::Restore {
                    new_name: Some("mig_wpar_4"),
                    start: true,
                    compatible: false,
                },
            )
            .unwrap(),
            "LC_ALL=C restwpar -f /savew/mig_4_savewpar -n mig_wpar_4 -s",
        ),
        (
            aix::lswpar_fields(&["name", "state"], &[]).unwrap(),
            "LC_ALL=C lswpar -c -a name,state",
        ),
        (aix::lswpar_general("syswpar").unwrap(), "LC_ALL=C lswpar -G syswpar"),
        (aix::stopwpar("w1", true, true).unwrap(), "LC_ALL=C stopwpar -F -v w1"),
        (aix::oslevel(), "LC_ALL=C oslevel -s"),
        (nim::nim_reset("lpar2", true).unwrap(), "LC_ALL=C nim -F -o reset lpar2"),
        (nim::lsnim_long(Some("master")).unwrap(), "LC_ALL=C lsnim -l master"),
        (nim::nim_lslpp("lpar2").unwrap(), "LC_ALL=C nim -o lslpp lpar2"),
    ];
    for (command, line) in cases {
        assert_eq!(command.line(), line);
    }
}

#[test]
fn nul_bytes_are_refused_not_truncated() {
    let nul = "lpar1\0; reboot";
    let checks = [
        hmc::lssyscfg_lpar("sys", &[nul], &[]),
        hmc::chsyscfg_rs_device(
            "sys",
            &RsDeviceAssignment {
                lpar: nul,
                primary_vios: "v1",
                secondary_vios: None,
                device: "hdisk1",
            },
        ),
        hmc::migrlpar("sys", nul, MigrationOp::Migrate { target: "dst" }),
        aix::stopwpar(nul, false, false),
        nim::nim_check(nul),
    ];
    for result in checks {
        match result {
            Err(ArgumentError::Nul { value, .. }) => assert_eq!(value, nul),
            other => panic!("expected a NUL error, got {other:?}"),
        }
    }
    let error = RemoteCommand::read("lswpar")
        .arg("word", "a\0b")
        .unwrap_err();
    assert!(matches!(error, ArgumentError::Nul { .. }));
}

#[test]
fn leading_dashes_and_empty_names_are_refused() {
    assert!(matches!(
        hmc::migrlpar("-all", "lpar1", MigrationOp::Stop),
        Err(ArgumentError::LeadingDash {
            what: "managed system name",
            ..
        })
    ));
    assert!(matches!(
        aix::rmwpar("-F", false, false),
        Err(ArgumentError::LeadingDash { .. })
    ));
    assert!(matches!(
        hmc::lssyscfg_lpar("sys", &["lpar1", ""], &[]),
        Err(ArgumentError::Empty { .. })
    ));
    assert!(matches!(
        hmc::chhwres_rspool_create("sys", &[]),
        Err(ArgumentError::Empty { .. })
    ));
    assert!(matches!(
        hmc::lsmemdev_avail("sys", &[]),
        Err(ArgumentError::Empty { .. })
    ));
    // Inside a value a dash is just a character.
    assert!(hmc::lssyscfg_lpar("sys", &["a-b"], &[]).is_ok());
}

#[test]
fn effects_follow_what_the_command_does() {
    let n = Names((0..16).map(|i| format!("name{i}")).collect());
    let mut commands = hmc_commands(&n).unwrap();
    commands.extend(aix_commands(&n).unwrap());
    commands.extend(nim_commands(&n).unwrap());
    for command in &commands {
        let reads = matches!(
            command.program(),
            "lssyscfg"
                | "lshwres"
                | "lslic"
                | "lslparmigr"
                | "lsrefcode"
                | "lshmc"
                | "lsrsdevsize"
                | "lsmemdev"
                | "lswpar"
                | "oslevel"
                | "lsnim"
        ) || command.argv().starts_with(&["nim", "-o", "lslpp"]);
        let expected = if reads { Effect::Read } else { Effect::Change };
        assert_eq!(command.effect(), expected, "{}", command.line());
    }
}

/// A name that is nothing but shell syntax still arrives as one argument.
#[test]
fn hostile_names_arrive_intact() {
    let names = [
        "'; reboot; '",
        "$(halt)",
        "`shutdown -h now`",
        "a\nb",
        "*",
        "~hscroot",
        "x'\"'\"y",
        "\"lpar_names=a\",b",
        "lpar 1 & 2 | 3",
    ];
    let commands: Vec<RemoteCommand> = names
        .iter()
        .map(|name| hmc::migrlpar("sys", name, MigrationOp::Stop).unwrap())
        .collect();
    let got = assert_round_trip(&commands);
    for (argv, name) in got.iter().zip(names) {
        assert_eq!(argv.last().map(String::as_str), Some(name));
    }
}
