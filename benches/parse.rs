//! Parser throughput on estate-sized output.
//!
//! Goal: 2,000 LPAR records of `lssyscfg -r lpar` (the default attr=value format, as
//! a large HMC returns them) parse in ≤ 2 ms.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use powerdeck::estate::Lpar;
use powerdeck::sources::hmc;

/// `lssyscfg -r lpar` output for `count` partitions, in the layout of the P8 record of
/// docs/formats.md, "HMC: lssyscfg -r lpar" (names, ids, states and levels varied).
fn lpar_listing(count: usize) -> String {
    let states = ["Running", "Not Activated", "Running", "Open Firmware"];
    let mut text = String::with_capacity(count * 700);
    for i in 0..count {
        let env = if i % 20 < 2 { "vioserver" } else { "aixlinux" };
        let state = states[i % states.len()];
        text.push_str(&format!(
            "name=prd{i:04}app,lpar_id={},lpar_env={env},state={state},resource_config=1,os_version=AIX 7.2 7200-05-06-2320,logical_serial_num=2152{i:04}V7,default_profile=default_profile,curr_profile=default_profile,work_group_id=none,shared_proc_pool_util_auth=1,allow_perf_collection=1,power_ctrl_lpar_ids=none,boot_mode=norm,lpar_keylock=norm,auto_start=0,redundant_err_path_reporting=0,rmc_state=active,rmc_ipaddr=10.{}.{}.{},time_ref=0,lpar_avail_priority=127,desired_lpar_proc_compat_mode=POWER9,curr_lpar_proc_compat_mode=POWER9,suspend_capable=0,remote_restart_capable=0,simplified_remote_restart_capable=1,remote_restart_status=Remote Restartable,sync_curr_profile=0,affinity_group_id=none,vtpm_enabled=0,migration_disabled=0\n",
            i % 250 + 1,
            i / 65536 % 256,
            i / 256 % 256,
            i % 256
        ));
    }
    text
}

/// The same partitions in the `-F` form a refresh asks for.
fn lpar_fields(count: usize) -> String {
    let mut text = String::with_capacity(count * 120);
    for i in 0..count {
        text.push_str(&format!(
            "prd{i:04}app,{},aixlinux,Running,active,AIX 7.2 7200-05-06-2320,default_profile,0,1,Remote Restartable\n",
            i % 250 + 1
        ));
    }
    text
}

fn parse_lpars(c: &mut Criterion) {
    let mut group = c.benchmark_group("parse_lpars");
    let count = 2_000usize;
    {
        let text = lpar_listing(count);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::new("records", count), &text, |b, text| {
            b.iter_with_large_drop(|| {
                let parsed = hmc::parse::<Lpar>(text).expect("listing parses");
                assert_eq!(parsed.items.len(), count);
                parsed
            })
        });
        group.bench_with_input(
            BenchmarkId::new("baseline_split", count),
            &text,
            |b, text| {
                b.iter(|| {
                    text.lines()
                        .map(|line| line.split(',').filter(|f| f.contains('=')).count())
                        .sum::<usize>()
                })
            },
        );
        group.bench_with_input(BenchmarkId::new("grammar_only", count), &text, |b, text| {
            b.iter_with_large_drop(|| hmc::parse_records(text).expect("listing parses"))
        });
        let names = [
            "name",
            "lpar_id",
            "lpar_env",
            "state",
            "rmc_state",
            "os_version",
            "curr_profile",
            "remote_restart_capable",
            "simplified_remote_restart_capable",
            "remote_restart_status",
        ];
        let text = lpar_fields(count);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::new("fields", count), &text, |b, text| {
            b.iter_with_large_drop(|| {
                let parsed =
                    hmc::parse_delimited::<Lpar>(text, ',', &names, false).expect("parses");
                assert_eq!(parsed.items.len(), count);
                parsed
            })
        });
    }
    group.finish();
}

criterion_group!(benches, parse_lpars);
criterion_main!(benches);
