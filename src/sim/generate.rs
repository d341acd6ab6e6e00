//! Large generated estates for benchmarks and load tests (`powerdeck sim --scale N`).
//!
//! Scale 1 is the size an enterprise estate reaches: 4 HMCs, 40 managed systems,
//! 2,000 LPARs (VIOS included), 400 WPARs on 20 AIX globals and 1,500 NIM objects on
//! 2 NIM masters. The estate is written as TOML and read back through the estate file
//! reader, so it obeys exactly the rules of a hand-written one.

use std::fmt::Write;

use super::estate::{Estate, EstateError};

/// Sizes of a generated estate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scale {
    pub hmcs: usize,
    pub systems: usize,
    pub lpars: usize,
    pub aix_hosts: usize,
    pub wpars: usize,
    pub nim_masters: usize,
    pub nim_objects: usize,
}

impl Scale {
    /// The benchmark estate, multiplied by `factor` (at least 1 of everything).
    pub fn times(factor: f64) -> Scale {
        let n = |base: f64| ((base * factor).round() as usize).max(1);
        Scale {
            hmcs: n(4.0),
            systems: n(40.0),
            lpars: n(2000.0),
            aix_hosts: n(20.0),
            wpars: n(400.0),
            nim_masters: n(2.0),
            nim_objects: n(1500.0),
        }
    }
}

/// The TOML text of a generated estate.
pub fn estate_toml(scale: Scale) -> String {
    let mut text = String::with_capacity(scale.lpars * 200 + scale.nim_objects * 300);
    let systems_per_hmc = scale.systems.div_ceil(scale.hmcs);
    let lpars_per_system = scale.lpars.div_ceil(scale.systems).max(3);
    let mut system_index = 0;
    for h in 0..scale.hmcs {
        let _ = writeln!(text, "[[hmc]]\nname = \"hmc{:02}\"\n", h + 1);
        for _ in 0..systems_per_hmc {
            if system_index >= scale.systems {
                break;
            }
            system_index += 1;
            let s = system_index;
            let (type_model, generation) = match s % 3 {
                0 => ("9080-HEX", "POWER10"),
                1 => ("9009-42A", "POWER9"),
                _ => ("8286-42A", "POWER8"),
            };
            let _ = writeln!(
                text,
                "[[hmc.systems]]\nname = \"p{s:03}\"\ntype_model = \"{type_model}\"\nserial_num = \"78{s:05}\"\ngeneration = \"{generation}\"\nsrr_capable = true\nmemory_mb = 4194304\nproc_units = 256.0\n"
            );
            let _ = writeln!(
                text,
                "[hmc.systems.firmware]\necnumber = \"01VL940\"\nrelease = \"FW940\"\nactivated_level = 55\ninstalled_level = 55\naccepted_level = 50\n"
            );
            for l in 1..=lpars_per_system {
                let vios = l <= 2;
                let name = if vios {
                    format!("p{s:03}-vios{l}")
                } else {
                    let role = ["app", "db", "web", "mq"][l % 4];
                    format!("p{s:03}{role}{l:03}")
                };
                let _ = writeln!(
                    text,
                    "[[hmc.systems.lpars]]\nname = \"{name}\"\nid = {l}\nenv = \"{}\"\nos_version = \"{}\"\nrmc_ipaddr = \"10.{}.{}.{l}\"\nmemory_mb = 16384\nproc_units = 0.5\nsrr = {}\nmsp = {vios}\n",
                    if vios { "vioserver" } else { "aixlinux" },
                    if vios { "VIOS 3.1.4.10" } else { "AIX 7.2 7200-05-06-2320" },
                    s / 256,
                    s % 256,
                    !vios,
                );
            }
        }
    }
    let wpars_per_host = scale.wpars.div_ceil(scale.aix_hosts);
    for a in 1..=scale.aix_hosts {
        let _ = writeln!(
            text,
            "[[aix]]\nname = \"aixglb{a:03}\"\noslevel = \"7200-05-06-2320\"\n"
        );
        for w in 1..=wpars_per_host {
            let state = if w % 3 == 0 { "D" } else { "A" };
            let _ = writeln!(
                text,
                "[[aix.wpars]]\nname = \"wp{a:03}x{w:03}\"\nstate = \"{state}\"\n"
            );
        }
    }
    let objects_per_master = scale.nim_objects.div_ceil(scale.nim_masters);
    for m in 1..=scale.nim_masters {
        let _ = writeln!(text, "[[nim]]\nname = \"nimmst{m:02}\"\n");
        let _ = writeln!(
            text,
            "[[nim.objects]]\nname = \"master\"\nclass = \"machines\"\ntype = \"master\"\nattributes = [[\"Cstate\", \"ready for a NIM operation\"], [\"Mstate\", \"currently running\"]]\n"
        );
        for o in 1..objects_per_master {
            let _ = match o % 5 {
                0 => writeln!(
                    text,
                    "[[nim.objects]]\nname = \"lpp_7200_{o:04}\"\nclass = \"resources\"\ntype = \"lpp_source\"\nattributes = [[\"Rstate\", \"ready for use\"], [\"prev_state\", \"unavailable for use\"], [\"location\", \"/export/lpp/7200_{o:04}\"], [\"alloc_count\", \"0\"], [\"server\", \"master\"]]\n"
                ),
                _ => writeln!(
                    text,
                    "[[nim.objects]]\nname = \"client{m:02}x{o:04}\"\nclass = \"machines\"\ntype = \"standalone\"\nattributes = [[\"connect\", \"nimsh\"], [\"platform\", \"chrp\"], [\"netboot_kernel\", \"64\"], [\"if1\", \"net_10_1 client{m:02}x{o:04} 0\"], [\"cable_type1\", \"N/A\"], [\"Cstate\", \"ready for a NIM operation\"], [\"prev_state\", \"ready for a NIM operation\"], [\"Mstate\", \"currently running\"], [\"current_master\", \"nimmst{m:02}\"], [\"sync_required\", \"no\"]]\n"
                ),
            };
        }
    }
    text
}

/// A generated estate.
pub fn estate(scale: Scale) -> Result<Estate, EstateError> {
    Estate::from_toml(&estate_toml(scale), "generated estate")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn benchmark_scale_has_the_promised_sizes() {
        let estate = estate(Scale::times(1.0)).unwrap();
        assert_eq!(estate.hmc.len(), 4);
        let systems: usize = estate.hmc.iter().map(|h| h.systems.len()).sum();
        assert_eq!(systems, 40);
        let lpars: usize = estate
            .hmc
            .iter()
            .flat_map(|h| &h.systems)
            .map(|s| s.lpars.len())
            .sum();
        assert_eq!(lpars, 2000);
        let wpars: usize = estate.aix.iter().map(|a| a.wpars.len()).sum();
        assert_eq!(wpars, 400);
        let objects: usize = estate.nim.iter().map(|n| n.objects.len()).sum();
        assert_eq!(objects, 1500);
    }
}
