//! `lswpar` and WPAR command-status parsers against the published samples
//! (tests/fixtures/aix, described in docs/formats.md) and against malformed output.

mod common;

use powerdeck::estate::{WparState, WparType};
use powerdeck::sources::aix::{
    parse_lswpar_delimited, parse_lswpar_general, parse_lswpar_table, parse_wpar_status,
    ReturnStatus,
};
use powerdeck::sources::HostError;
use proptest::prelude::*;

fn fixture(name: &str) -> String {
    common::fixture(&format!("aix/{name}"))
}

// --- golden: default table -------------------------------------------------------

#[test]
fn table_relocation_departure_side() {
    let parsed = parse_lswpar_table(&fixture("lswpar_table_relocation.txt")).unwrap();
    assert!(parsed.is_clean(), "{:?}", parsed.diagnostics);
    assert_eq!(parsed.items.len(), 2);
    let wp01 = &parsed.items[0];
    assert_eq!(wp01.name, "wp01");
    assert_eq!(wp01.state, WparState::Active);
    assert_eq!(wp01.wpar_type, WparType::System);
    assert_eq!(wp01.hostname.as_deref(), Some("wp01"));
    assert_eq!(wp01.directory.as_deref(), Some("/wpars/wp01"));
    assert!(!wp01.rootvg);
    let san = &parsed.items[1];
    assert_eq!(san.name, "wpsan61");
    assert_eq!(san.state, WparState::Transitional);
    assert!(san.state.is_transitional());
    assert!(san.rootvg);
}

#[test]
fn table_moving_state() {
    let parsed = parse_lswpar_table(&fixture("lswpar_table_moving.txt")).unwrap();
    assert!(parsed.is_clean());
    assert_eq!(parsed.items[1].name, "wpsan61");
    assert_eq!(parsed.items[1].state, WparState::Moving);
}

#[test]
fn table_rows_without_header() {
    let parsed = parse_lswpar_table(&fixture("lswpar_table_rows.txt")).unwrap();
    assert!(parsed.is_clean(), "{:?}", parsed.diagnostics);
    let names: Vec<&str> = parsed.items.iter().map(|w| w.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "application",
            "nfspar1",
            "mig_wpar_4",
            "woraR_vg_shared_1",
            "wparm91"
        ]
    );
    let app = &parsed.items[0];
    assert_eq!(app.wpar_type, WparType::Application);
    assert_eq!(app.directory.as_deref(), Some("/"));
    let ora = &parsed.items[3];
    assert_eq!(ora.state, WparState::Defined);
    assert_eq!(ora.hostname.as_deref(), Some("ora1"));
    assert!(ora.rootvg);
}

// --- golden: delimited ----------------------------------------------------------

#[test]
fn colon_quiet_uses_default_fields() {
    let parsed = parse_lswpar_delimited(&fixture("lswpar_cq.txt"), ':', &[]).unwrap();
    assert!(parsed.is_clean(), "{:?}", parsed.diagnostics);
    assert_eq!(parsed.items.len(), 3);
    assert_eq!(parsed.items[1].name, "wpsan61");
    assert_eq!(parsed.items[1].state, WparState::Transitional);
    assert!(parsed.items[1].rootvg);
    assert_eq!(parsed.items[2].wpar_type, WparType::Application);
    assert_eq!(parsed.items[2].directory.as_deref(), Some("/"));
}

#[test]
fn colon_header_names_the_fields() {
    // The header wins over the fields passed in.
    let parsed = parse_lswpar_delimited(&fixture("lswpar_c_header.txt"), ':', &["uuid"]).unwrap();
    assert!(parsed.is_clean(), "{:?}", parsed.diagnostics);
    let ora = &parsed.items[0];
    assert_eq!(ora.name, "woraR_vg_shared_1");
    assert_eq!(ora.hostname.as_deref(), Some("ora1"));
    assert_eq!(ora.directory.as_deref(), Some("/wpars/woraR_vg_shared_1"));
    assert_eq!(parsed.items[1].state, WparState::Transitional);
}

#[test]
fn pipe_delimited_with_selected_fields() {
    let parsed = parse_lswpar_delimited(&fixture("lswpar_d_pipe_fields.txt"), '|', &[]).unwrap();
    assert!(parsed.is_clean(), "{:?}", parsed.diagnostics);
    let sys = &parsed.items[0];
    assert_eq!(sys.name, "syswpar");
    assert_eq!(sys.state, WparState::Defined);
    assert_eq!(sys.checkpointable, Some(false));
    assert_eq!(sys.private_usr, Some(false));
    assert_eq!(sys.auto_start, Some(false));
    assert_eq!(sys.ostype, Some(0));
    assert_eq!(sys.owner.as_deref(), Some("root"));
    assert_eq!(
        sys.uuid.as_deref(),
        Some("ff8cade2-5e98-11e0-8628-e2dc60002003")
    );
    // Not selected, so not known.
    assert_eq!(sys.hostname, None);
    let wp01 = &parsed.items[1];
    assert_eq!(wp01.checkpointable, Some(true));
    assert_eq!(wp01.private_usr, Some(true));
    assert_eq!(wp01.auto_start, Some(true));
}

#[test]
fn selection_without_name_is_a_diagnostic() {
    let text = fixture("lswpar_qca_directory.txt");
    let parsed = parse_lswpar_delimited(&text, ':', &["directory"]).unwrap();
    assert!(parsed.items.is_empty());
    assert_eq!(parsed.diagnostics.len(), 1);
    assert_eq!(parsed.diagnostics[0].line, 1);
    assert!(parsed.diagnostics[0].message.contains("-a name"));
}

#[test]
fn selection_of_name_only_leaves_the_rest_unknown() {
    let parsed = parse_lswpar_delimited("wp01\nwpsan61\n", ':', &["name"]).unwrap();
    assert!(parsed.is_clean());
    assert_eq!(parsed.items.len(), 2);
    assert_eq!(parsed.items[0].state, WparState::Other(String::new()));
    assert!(!parsed.items[0].state.is_known());
    assert_eq!(parsed.items[0].directory, None);
}

#[test]
fn delimited_unknown_fields_ignored_and_trailing_delimiter_accepted() {
    let text = "#name:state:xwparipc:architecture:\nw1:A:no:none:\n";
    let parsed = parse_lswpar_delimited(text, ':', &[]).unwrap();
    assert!(parsed.is_clean(), "{:?}", parsed.diagnostics);
    assert_eq!(parsed.items[0].name, "w1");
    assert_eq!(parsed.items[0].state, WparState::Active);
}

#[test]
fn every_header_line_renames_the_fields() {
    let text = fixture("lswpar_c_header.txt") + "#name:state\nwp01:A\n";
    let parsed = parse_lswpar_delimited(&text, ':', &[]).unwrap();
    assert!(parsed.is_clean(), "{:?}", parsed.diagnostics);
    assert_eq!(parsed.items.len(), 3);
    assert_eq!(parsed.items[2].name, "wp01");
    assert_eq!(parsed.items[2].state, WparState::Active);
    assert_eq!(parsed.items[2].directory, None);
}

// --- golden: -G -----------------------------------------------------------------

#[test]
fn general_paragraph_example_8_18() {
    let parsed = parse_lswpar_general(&fixture("lswpar_G_syswpar.txt")).unwrap();
    assert!(parsed.is_clean(), "{:?}", parsed.diagnostics);
    assert_eq!(parsed.items.len(), 1);
    let w = &parsed.items[0];
    assert_eq!(w.name, "syswpar");
    assert_eq!(w.state, WparState::Defined);
    assert_eq!(w.wpar_type, WparType::System);
    assert!(!w.rootvg);
    assert_eq!(w.owner.as_deref(), Some("root"));
    assert_eq!(w.hostname.as_deref(), Some("syswpar"));
    assert_eq!(w.directory.as_deref(), Some("/wpars/syswpar"));
    assert_eq!(w.auto_start, Some(false));
    assert_eq!(w.private_usr, Some(false));
    assert_eq!(w.checkpointable, Some(false));
    assert_eq!(w.ostype, Some(0));
    assert!(!w.is_versioned());
    assert_eq!(
        w.uuid.as_deref(),
        Some("ff8cade2-5e98-11e0-8628-e2dc60002003")
    );
}

#[test]
fn general_two_paragraphs_and_unknown_state_word() {
    let mut text = fixture("lswpar_G_syswpar.txt");
    text.push_str(
        "=====\nvers52 - Inactive\n=====\nType:   S\nRootVG WPAR:   yes\nAuto:   yes\nOStype:   1\n",
    );
    let parsed = parse_lswpar_general(&text).unwrap();
    assert!(parsed.is_clean(), "{:?}", parsed.diagnostics);
    assert_eq!(parsed.items.len(), 2);
    let v = &parsed.items[1];
    assert_eq!(v.state, WparState::Other("Inactive".into()));
    assert!(v.rootvg);
    assert_eq!(v.auto_start, Some(true));
    assert!(v.is_versioned());
}

#[test]
fn general_label_before_header_is_a_diagnostic() {
    let parsed = parse_lswpar_general("Type:   S\n=====\nw1 - Active\n=====\nType:   A\n").unwrap();
    assert_eq!(parsed.items.len(), 1);
    assert_eq!(parsed.items[0].wpar_type, WparType::Application);
    assert_eq!(parsed.diagnostics.len(), 1);
    assert_eq!(parsed.diagnostics[0].line, 1);
}

// --- errors ---------------------------------------------------------------------

#[test]
fn not_found_is_an_error_in_every_form() {
    let text = fixture("lswpar_0960_419.txt");
    for result in [
        parse_lswpar_table(&text),
        parse_lswpar_delimited(&text, ':', &[]),
        parse_lswpar_general(&text),
    ] {
        match result {
            Err(HostError::Aix(message)) => {
                assert_eq!(message.code, "0960-419");
                assert_eq!(message.command.as_deref(), Some("lswpar"));
                assert!(message.text.ends_with("called wparm91."));
            }
            other => panic!("expected 0960-419, got {other:?}"),
        }
    }
}

#[test]
fn error_next_to_records_is_a_diagnostic() {
    let mut text = fixture("lswpar_table_relocation.txt");
    text.push_str("lswpar: 0960-419 Could not find a workload partition called nosuch.\n");
    let parsed = parse_lswpar_table(&text).unwrap();
    assert_eq!(parsed.items.len(), 2);
    assert_eq!(parsed.diagnostics.len(), 1);
    assert_eq!(parsed.diagnostics[0].line, 5);
    assert!(parsed.diagnostics[0].message.contains("0960-419"));
}

// --- malformed input ------------------------------------------------------------

#[test]
fn empty_output_means_no_wpars() {
    for text in ["", "\n", "  \r\n\r\n"] {
        assert!(parse_lswpar_table(text).unwrap().items.is_empty());
        assert!(parse_lswpar_delimited(text, ':', &[])
            .unwrap()
            .items
            .is_empty());
        assert!(parse_lswpar_general(text).unwrap().items.is_empty());
    }
}

#[test]
fn header_only_is_empty_and_clean() {
    let parsed =
        parse_lswpar_table("Name      State Type Hostname Directory      RootVG WPAR\n-----\n")
            .unwrap();
    assert!(parsed.items.is_empty());
    assert!(parsed.is_clean());
    let parsed =
        parse_lswpar_delimited("#name:state:type:hostname:directory:rootvgwpar\n", ':', &[])
            .unwrap();
    assert!(parsed.items.is_empty());
    assert!(parsed.is_clean());
}

#[test]
fn crlf_output_reads_like_lf() {
    let lf = fixture("lswpar_table_relocation.txt");
    let crlf = lf.replace('\n', "\r\n");
    assert_eq!(
        parse_lswpar_table(&crlf).unwrap(),
        parse_lswpar_table(&lf).unwrap()
    );
    let g = fixture("lswpar_G_syswpar.txt");
    assert_eq!(
        parse_lswpar_general(&g.replace('\n', "\r\n")).unwrap(),
        parse_lswpar_general(&g).unwrap()
    );
    let cq = fixture("lswpar_cq.txt");
    assert_eq!(
        parse_lswpar_delimited(&cq.replace('\n', "\r\n"), ':', &[]).unwrap(),
        parse_lswpar_delimited(&cq, ':', &[]).unwrap()
    );
}

#[test]
fn truncated_and_wrong_width_rows_are_skipped_with_their_line() {
    let text = "Name State Type Hostname Directory RootVG WPAR\n-----\nwp01 A S wp01 /wpars/wp01 no\nwp02 A S wp0\nwp03 A S wp03 /wpars/wp03 no extra\nwp04 A S wp04 /wpars/wp04 maybe\n";
    let parsed = parse_lswpar_table(text).unwrap();
    assert_eq!(parsed.items.len(), 1);
    let lines: Vec<usize> = parsed.diagnostics.iter().map(|d| d.line).collect();
    assert_eq!(lines, [4, 5, 6]);
    assert!(parsed.diagnostics[0].message.contains("found 4"));
    assert!(parsed.diagnostics[2].message.contains("maybe"));
}

#[test]
fn delimited_wrong_field_count_is_skipped_with_its_line() {
    let text = "w1:A:S:w1:/wpars/w1:no\nw2:A:S\nw3:A:S:w3:/wpars/w3:no:x:y\n:A:S:h:/d:no\n";
    let parsed = parse_lswpar_delimited(text, ':', &[]).unwrap();
    assert_eq!(parsed.items.len(), 1);
    let lines: Vec<usize> = parsed.diagnostics.iter().map(|d| d.line).collect();
    assert_eq!(lines, [2, 3, 4]);
}

#[test]
fn unknown_state_letters_are_kept() {
    let parsed = parse_lswpar_table("w1  X  S  w1  /wpars/w1  no\n").unwrap();
    assert!(parsed.is_clean());
    assert_eq!(parsed.items[0].state, WparState::Other("X".into()));
    assert_eq!(parsed.items[0].state.letter(), None);
}

#[test]
fn garbage_gives_diagnostics_not_records() {
    let text = "ksh: syntax error\n\u{0}\u{1}binary\n=====\n";
    let table = parse_lswpar_table(text).unwrap();
    assert!(table.items.is_empty());
    assert_eq!(table.diagnostics.len(), 3);
    let general = parse_lswpar_general("just some words\n").unwrap();
    assert!(general.items.is_empty());
    assert_eq!(general.diagnostics.len(), 1);
}

// --- WPAR command status --------------------------------------------------------

#[test]
fn syncwpar_success() {
    let status = parse_wpar_status(&fixture("syncwpar_shared.txt"));
    assert_eq!(status.return_status, Some(ReturnStatus::Success));
    assert!(status.succeeded());
    assert!(status.messages.is_empty());
}

#[test]
fn syncwpar_failure_with_messages() {
    let status = parse_wpar_status(&fixture("syncwpar_detached_failure.txt"));
    assert!(status.failed());
    let codes: Vec<&str> = status.messages.iter().map(|m| m.code.as_str()).collect();
    assert_eq!(codes, ["0503-008", "0960-580", "0960-264"]);
    let wpar_codes: Vec<&str> = status.wpar_messages().map(|m| m.code.as_str()).collect();
    assert_eq!(wpar_codes, ["0960-580", "0960-264"]);
    assert!(status.has_code("0960-264"));
}

// --- no input panics ------------------------------------------------------------

fn line_shaped() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        "[A-Za-z0-9_/ :=|#.-]{0,40}",
        "[a-z0-9_]{1,8} [A-Z?] [SA?] [a-z0-9]{1,8} /[a-z/]{0,12} (yes|no|maybe)",
        "[a-z0-9_]{1,8}(:[A-Za-z0-9/]{0,6}){0,8}",
        "(=====|-----|Name State Type|[a-z0-9]{1,6} - [A-Za-z]{0,9})",
        "[A-Za-z /]{1,16}: {0,8}[A-Za-z0-9-]{0,12}",
        "lswpar: 0960-[0-9]{3} [a-z ]{0,20}",
    ];
    prop::collection::vec(line, 0..12).prop_map(|lines| lines.join("\r\n"))
}

proptest! {
    #[test]
    fn arbitrary_text_never_panics(text in any::<String>(), delim in any::<char>()) {
        let _ = parse_lswpar_table(&text);
        let _ = parse_lswpar_delimited(&text, delim, &[]);
        let _ = parse_lswpar_delimited(&text, ':', &["directory", "name"]);
        let _ = parse_lswpar_general(&text);
        let _ = parse_wpar_status(&text);
    }

    #[test]
    fn line_shaped_text_never_panics(text in line_shaped()) {
        let table = parse_lswpar_table(&text);
        let delimited = parse_lswpar_delimited(&text, ':', &[]);
        let general = parse_lswpar_general(&text);
        let _ = parse_wpar_status(&text);
        let lines = text.lines().count();
        for parsed in [table, delimited, general].into_iter().flatten() {
            for diagnostic in &parsed.diagnostics {
                prop_assert!(diagnostic.line >= 1 && diagnostic.line <= lines);
            }
        }
    }
}
