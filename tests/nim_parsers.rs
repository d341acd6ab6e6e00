//! `lsnim` parsers against the published samples (tests/fixtures/nim, described in
//! docs/formats.md) and against malformed output.

mod common;

use powerdeck::estate::{Cstate, Mstate, NimClass, Rstate};
use powerdeck::sources::nim::{parse_lsnim, parse_lsnim_long, NimEntry};
use powerdeck::sources::HostError;
use proptest::prelude::*;

fn fixture(name: &str) -> String {
    common::fixture(&format!("nim/{name}"))
}

fn entry(name: &str, class: NimClass, object_type: &str) -> NimEntry {
    NimEntry {
        name: name.to_string(),
        class,
        object_type: object_type.to_string(),
    }
}

// --- golden: plain listing ------------------------------------------------------

#[test]
fn plain_listing_of_a_master_with_an_alternate() {
    let parsed = parse_lsnim(&fixture("lsnim_alternate_master.txt")).unwrap();
    assert!(parsed.is_clean(), "{:?}", parsed.diagnostics);
    assert_eq!(
        parsed.items,
        [
            entry("master", NimClass::Machines, "master"),
            entry("boot", NimClass::Resources, "boot"),
            entry("nim_script", NimClass::Resources, "nim_script"),
            entry("master_net", NimClass::Networks, "ent"),
            entry("server B hostname", NimClass::Machines, "alternate_master"),
        ]
    );
}

#[test]
fn plain_listing_with_tabs_and_blank_names() {
    let parsed = parse_lsnim(&fixture("lsnim_client_resources.txt")).unwrap();
    assert!(parsed.is_clean(), "{:?}", parsed.diagnostics);
    assert_eq!(
        parsed.items[0],
        entry("client hostname", NimClass::Machines, "standalone")
    );
    assert_eq!(
        parsed.items[3],
        entry("clinet hostname_im", NimClass::Resources, "image_data")
    );
}

#[test]
fn plain_lines_from_single_object_queries() {
    let parsed = parse_lsnim(&fixture("lsnim_s000_lines.txt")).unwrap();
    assert!(parsed.is_clean(), "{:?}", parsed.diagnostics);
    assert_eq!(
        parsed.items,
        [
            entry("nim_alternate", NimClass::Machines, "alternate_master"),
            entry("hmc1", NimClass::Management, "hmc"),
            entry("fb_script01", NimClass::Resources, "fb_script"),
            entry("ruby", NimClass::Machines, "standalone"),
        ]
    );
}

#[test]
fn plain_short_lines_are_diagnostics() {
    let text = "master machines master\nboot resources\ntruncated\n\nfoo bar (baz)\n";
    let parsed = parse_lsnim(text).unwrap();
    assert_eq!(parsed.items.len(), 1);
    let lines: Vec<usize> = parsed.diagnostics.iter().map(|d| d.line).collect();
    assert_eq!(lines, [2, 3, 5]);
}

#[test]
fn plain_unknown_class_is_kept() {
    let parsed = parse_lsnim("grp1  groups  mac_group\nx  clusters  node\n").unwrap();
    assert!(parsed.is_clean());
    assert_eq!(parsed.items[0].class, NimClass::Groups);
    assert_eq!(parsed.items[1].class, NimClass::Other("clusters".into()));
}

// --- golden: lsnim -l -----------------------------------------------------------

#[test]
fn long_standalone_client() {
    let parsed = parse_lsnim_long(&fixture("lsnim_l_standalone.txt")).unwrap();
    assert!(parsed.is_clean(), "{:?}", parsed.diagnostics);
    let client = &parsed.items[0];
    assert_eq!(client.name, "client hostname");
    assert_eq!(client.class, NimClass::Machines);
    assert_eq!(client.object_type, "standalone");
    assert_eq!(client.current_master.as_deref(), Some("server A hostname"));
    assert_eq!(client.cstate, Some(Cstate::Ready));
    assert_eq!(client.mstate, Some(Mstate::Running));
    assert_eq!(client.rstate, None);
    assert!(!client.sync_required());
    assert!(!client.is_stuck_machine());
    assert_eq!(
        client.attribute("if1"),
        Some("net1 client hostname 8EB220004002 ent0")
    );
    assert_eq!(client.attribute("cpuid"), Some("00068A0AD700"));
    assert_eq!(client.attributes.len(), 13);
    assert_eq!(client.attributes[0], ("class".into(), "machines".into()));
}

#[test]
fn long_managing_lpar_and_its_wpar() {
    let text = fixture("lsnim_l_managing_lpar.txt") + &fixture("lsnim_l_wpar_defined.txt");
    let parsed = parse_lsnim_long(&text).unwrap();
    assert!(parsed.is_clean(), "{:?}", parsed.diagnostics);
    assert_eq!(parsed.items.len(), 2);
    let lpar = &parsed.items[0];
    assert_eq!(lpar.name, "750_1_LPAR_6");
    assert_eq!(lpar.attribute("manages"), Some("wpar1"));
    assert_eq!(lpar.attribute("connect"), Some("nimsh"));
    let wpar = &parsed.items[1];
    assert_eq!(wpar.name, "lpar_6_wpar_1");
    assert_eq!(wpar.object_type, "wpar");
    assert_eq!(wpar.cstate, Some(Cstate::WparDefinedNotCreated));
    assert_eq!(wpar.mstate, Some(Mstate::NotRunning));
    assert_eq!(
        wpar.attribute("mgmt_profile1"),
        Some("750_1_LPAR_6 lpar_6_wpar_1")
    );
    assert!(!wpar.is_stuck_machine());
}

#[test]
fn long_wpar_after_create() {
    let parsed = parse_lsnim_long(&fixture("lsnim_l_wpar_created.txt")).unwrap();
    assert!(parsed.is_clean());
    let wpar = &parsed.items[0];
    assert_eq!(wpar.cstate, Some(Cstate::Ready));
    assert_eq!(
        wpar.attribute("prev_state"),
        Some("creating workload partition")
    );
    assert_eq!(
        Cstate::parse(wpar.attribute("prev_state").unwrap_or_default()),
        Cstate::CreatingWpar
    );
    assert_eq!(wpar.attribute("Cstate_result"), Some("success"));
}

#[test]
fn long_resources() {
    let fb = parse_lsnim_long(&fixture("lsnim_l_fb_script.txt")).unwrap();
    assert!(fb.is_clean());
    let fb = &fb.items[0];
    assert_eq!(fb.class, NimClass::Resources);
    assert_eq!(fb.object_type, "fb_script");
    assert_eq!(fb.rstate, Some(Rstate::Ready));
    assert_eq!(fb.cstate, None);
    assert_eq!(fb.attribute("alloc_count"), Some("2"));
    assert_eq!(
        fb.attribute("location"),
        Some("/export/nim/fb_script/acceptance_setup.sh")
    );

    let lpp = parse_lsnim_long(&fixture("lsnim_l_lpp_source.txt")).unwrap();
    assert!(lpp.is_clean());
    let lpp = &lpp.items[0];
    assert_eq!(lpp.name, "lpp_source_test");
    assert_eq!(lpp.object_type, "lpp_source");
    assert_eq!(lpp.attribute("simages"), Some("yes"));
    assert_eq!(lpp.attribute("prev_state"), Some("unavailable for use"));
}

#[test]
fn long_management_objects_with_empty_prev_state() {
    for (file, name, object_type) in [
        ("lsnim_l_hmc.txt", "hmc1", "hmc"),
        ("lsnim_l_cec.txt", "cec1", "cec"),
    ] {
        let parsed = parse_lsnim_long(&fixture(file)).unwrap();
        assert!(parsed.is_clean(), "{file}: {:?}", parsed.diagnostics);
        let object = &parsed.items[0];
        assert_eq!(object.name, name);
        assert_eq!(object.class, NimClass::Management);
        assert_eq!(object.object_type, object_type);
        assert_eq!(object.attribute("prev_state"), Some(""));
        assert_eq!(object.cstate, Some(Cstate::Ready));
    }
    let cec = parse_lsnim_long(&fixture("lsnim_l_cec.txt")).unwrap();
    assert_eq!(cec.items[0].attribute("serial"), Some("8203-E4A*060CE99"));
}

#[test]
fn long_attributes_without_object_line_are_diagnostics() {
    let text = fixture("lsnim_lF_hmc_as_published.txt");
    let parsed = parse_lsnim_long(&text).unwrap();
    assert!(parsed.items.is_empty());
    assert_eq!(parsed.diagnostics.len(), 8);
    assert_eq!(parsed.diagnostics[0].line, 1);
    assert!(parsed.diagnostics[0].message.contains("before any"));
}

#[test]
fn long_wrapped_info_is_joined() {
    let parsed = parse_lsnim_long(&fixture("lsnim_l_wrapped_info.txt")).unwrap();
    assert!(parsed.is_clean(), "{:?}", parsed.diagnostics);
    let vios = &parsed.items[0];
    assert_eq!(vios.class, NimClass::Management);
    assert_eq!(vios.object_type, "vios");
    assert_eq!(
        vios.attribute("info"),
        Some("0505-126 alt_disk_install- target disk hdisk2 has a volume group assigned to it.")
    );
    assert_eq!(vios.attribute("prev_state"), Some(""));
    assert_eq!(vios.attribute("Cstate_result"), Some("failure"));
    assert_eq!(vios.attributes.len(), 11);
}

#[test]
fn long_repeats_values_with_equals_and_no_class() {
    let text = "\
lpar2:
   if1            = net1 lpar2 0
   if1            = net2 lpar2 0
   comments       = made with a=b
   Cstate         = BOS installation has been enabled
lpar3:
   Cstate         = ready for a NIM operation
";
    let parsed = parse_lsnim_long(text).unwrap();
    assert!(parsed.is_clean(), "{:?}", parsed.diagnostics);
    let lpar2 = &parsed.items[0];
    assert_eq!(lpar2.attribute("if1"), Some("net1 lpar2 0"));
    let ifs: Vec<&str> = lpar2
        .attributes
        .iter()
        .filter(|(k, _)| k == "if1")
        .map(|(_, v)| v.as_str())
        .collect();
    assert_eq!(ifs, ["net1 lpar2 0", "net2 lpar2 0"]);
    assert_eq!(lpar2.attribute("comments"), Some("made with a=b"));
    // `lsnim -a Cstate` stanzas carry no class: kept, with an empty class.
    assert_eq!(lpar2.class, NimClass::Other(String::new()));
    assert_eq!(lpar2.object_type, "");
    assert_eq!(lpar2.cstate, Some(Cstate::BosInstEnabled));
    assert_eq!(parsed.items[1].name, "lpar3");
}

// --- errors ---------------------------------------------------------------------

#[test]
fn missing_object_is_an_error_in_both_forms() {
    let text = fixture("lsnim_0042_053.txt");
    for result in [
        parse_lsnim(&text).map(|p| p.items.len()),
        parse_lsnim_long(&text).map(|p| p.items.len()),
    ] {
        match result {
            Err(HostError::Aix(message)) => {
                assert_eq!(message.code, "0042-053");
                assert_eq!(message.command.as_deref(), Some("lsnim"));
                assert_eq!(message.text, "there is no NIM object named \"fb_script01\"");
            }
            other => panic!("expected 0042-053, got {other:?}"),
        }
    }
}

#[test]
fn missing_object_next_to_found_one_is_a_diagnostic() {
    let text = fixture("lsnim_l_fb_script.txt") + &fixture("lsnim_0042_053.txt");
    let parsed = parse_lsnim_long(&text).unwrap();
    assert_eq!(parsed.items.len(), 1);
    assert_eq!(parsed.items[0].attributes.len(), 7);
    assert_eq!(parsed.diagnostics.len(), 1);
    assert_eq!(parsed.diagnostics[0].line, 9);
    assert!(parsed.diagnostics[0].message.contains("0042-053"));
}

// --- malformed input ------------------------------------------------------------

#[test]
fn empty_output_is_an_empty_listing() {
    for text in ["", "\n\n", " \r\n"] {
        assert!(parse_lsnim(text).unwrap().items.is_empty());
        assert!(parse_lsnim(text).unwrap().is_clean());
        assert!(parse_lsnim_long(text).unwrap().items.is_empty());
    }
}

#[test]
fn crlf_output_reads_like_lf() {
    for (file, long) in [
        ("lsnim_alternate_master.txt", false),
        ("lsnim_l_standalone.txt", true),
        ("lsnim_l_wrapped_info.txt", true),
    ] {
        let lf = fixture(file);
        let crlf = lf.replace('\n', "\r\n");
        if long {
            assert_eq!(
                parse_lsnim_long(&crlf).unwrap(),
                parse_lsnim_long(&lf).unwrap()
            );
        } else {
            assert_eq!(parse_lsnim(&crlf).unwrap(), parse_lsnim(&lf).unwrap());
        }
    }
}

#[test]
fn truncated_stanza_keeps_what_arrived() {
    let full = fixture("lsnim_l_standalone.txt");
    let cut = &full[..full.find("   Cstate").unwrap_or(full.len())];
    let truncated = format!("{cut}   Cst");
    let parsed = parse_lsnim_long(&truncated).unwrap();
    let client = &parsed.items[0];
    assert_eq!(client.class, NimClass::Machines);
    assert_eq!(client.cstate, None);
    // "Cst" has no '=': it continues cable_type1, as a wrapped value would.
    assert_eq!(client.attribute("cable_type1"), Some("N/A Cst"));
}

#[test]
fn long_garbage_at_column_zero_is_a_diagnostic() {
    let text = "client1:\n   class = machines\nrandom junk here\n   type = standalone\n";
    let parsed = parse_lsnim_long(text).unwrap();
    assert_eq!(parsed.diagnostics.len(), 1);
    assert_eq!(parsed.diagnostics[0].line, 3);
    // What follows the junk line belongs to no object we know: not to client1.
    assert_eq!(parsed.items[0].attribute("type"), None);
    assert_ne!(parsed.items[0].object_type, "standalone");
}

#[test]
fn unknown_states_are_kept_verbatim() {
    let text = "c1:\n   class = machines\n   type = standalone\n   Cstate = something new\n   Mstate = ready for use\n";
    let parsed = parse_lsnim_long(text).unwrap();
    let c1 = &parsed.items[0];
    assert_eq!(c1.cstate, Some(Cstate::Other("something new".into())));
    assert!(c1.is_stuck_machine());
    assert_eq!(c1.mstate, Some(Mstate::Other("ready for use".into())));
}

// --- no input panics ------------------------------------------------------------

fn line_shaped() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        "[A-Za-z0-9_ \t:=#.-]{0,40}",
        "[a-z0-9_]{1,10}[ \t]{1,6}(machines|resources|networks|x)[ \t]{1,6}[a-z_]{0,10}",
        "[a-z0-9_ ]{0,12}:",
        "[ \t]{1,4}[A-Za-z_]{0,12}[ \t]*=[ \t]?[A-Za-z0-9 =]{0,20}",
        "[ \t]{1,20}[A-Za-z0-9 .]{0,30}",
        "0042-0[0-9]{2} lsnim: [a-z \"]{0,30}",
    ];
    prop::collection::vec(line, 0..12).prop_map(|lines| lines.join("\n"))
}

proptest! {
    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        let _ = parse_lsnim(&text);
        let _ = parse_lsnim_long(&text);
    }

    #[test]
    fn line_shaped_text_never_panics(text in line_shaped()) {
        let lines = text.lines().count();
        if let Ok(parsed) = parse_lsnim(&text) {
            for d in &parsed.diagnostics {
                prop_assert!(d.line >= 1 && d.line <= lines);
            }
        }
        if let Ok(parsed) = parse_lsnim_long(&text) {
            for d in &parsed.diagnostics {
                prop_assert!(d.line >= 1 && d.line <= lines);
            }
            for object in &parsed.items {
                prop_assert!(!object.name.is_empty());
            }
        }
    }
}
