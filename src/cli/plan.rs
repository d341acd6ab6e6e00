//! `powerdeck plan <wizard>`: read the estate once, build a wizard's plan and print it
//! as a shell script for a change ticket. Nothing is run.

use std::process::ExitCode;

use clap::{Subcommand, ValueEnum};
use powerdeck::refresh;
use powerdeck::text::{visible, visible_lines};
use powerdeck::wizard::catalogue::{self, Request, DEFAULT_PARALLELISM};
use powerdeck::wizard::{
    wpar_move, CleanupChoices, Disruptive, EstateView, FirmwareChoices, FirmwareRepo,
    NimSyncChoices, NimadmChoices, PlanError, RemoteRestartChoices, SourceAfterMove,
    WparMoveChoices, WparRecoveryChoices,
};

use super::inventory::sources;
use super::setup::Setup;

/// The wizards whose plans can be printed.
#[derive(Debug, Subcommand)]
pub enum PlanArgs {
    /// Move a partition to another managed system (Live Partition Mobility).
    Relocate {
        #[arg(long, value_name = "NAME")]
        lpar: String,
        #[arg(long, value_name = "SYSTEM")]
        to: String,
    },
    /// Restart the partitions of a failed system on a healthy one.
    RemoteRestart {
        #[arg(long, value_name = "SYSTEM")]
        from: String,
        #[arg(long, value_name = "SYSTEM")]
        to: String,
        /// Only these partitions (repeatable); default: every restartable one.
        #[arg(long = "lpar", value_name = "NAME")]
        lpars: Vec<String>,
        /// Restart these first, in this order; the rest follow by availability priority
        /// (lpar_avail_priority, highest first).
        #[arg(long, value_name = "NAME,NAME,...", value_delimiter = ',')]
        order: Vec<String>,
        /// Restarts that run at the same time (1 to 16).
        #[arg(long, value_name = "N", default_value_t = DEFAULT_PARALLELISM)]
        parallel: usize,
    },
    /// Clean up a system that is back after remote restarts or failed migrations.
    Cleanup {
        #[arg(long, value_name = "SYSTEM")]
        system: String,
        /// Keep the reserved storage devices of PowerVM remote restart partitions in the
        /// pool (`rrstartlpar --retaindev`); simplified remote restart has none.
        #[arg(long)]
        retain_devices: bool,
    },
    /// Update a managed system's firmware (updlic -o a).
    ///
    /// Without a --disruptive* option the update is concurrent (-l latestconcurrent, or
    /// --level): partitions keep running. A disruptive update powers the system off; with
    /// running partitions it needs --disruptive-evacuate-to or --disruptive-shutdown.
    /// Partitions go down through their OS, VIOS last, and come back VIOS first; the
    /// update access key, the HMC level (--min-hmc) and the repository are checked first.
    /// Accepting the new level is a separate plan: firmware-accept.
    Firmware {
        /// The managed system to update.
        #[arg(long, value_name = "SYSTEM")]
        system: String,
        /// The level to activate (a number, e.g. 131); default: the newest one.
        #[arg(long, value_name = "LEVEL")]
        level: Option<u32>,
        /// Where the update comes from: ibmwebsite, disk, mountpoint:DIR,
        /// ftp:[USER@]HOST[:DIR] (user anonymous) or sftp:[USER@]HOST[:DIR] (user hscroot).
        #[arg(long, value_name = "SOURCE", default_value = "ibmwebsite")]
        repo: String,
        /// For sftp: the SSH private key on the HMC (`-k`).
        #[arg(long, value_name = "KEY")]
        repo_key: Option<String>,
        /// Disruptive update of a system where no client partition runs.
        #[arg(long, conflicts_with_all = ["disruptive_evacuate_to", "disruptive_shutdown"])]
        disruptive: bool,
        /// Disruptive update: first relocate every running client partition to SYSTEM.
        #[arg(long, value_name = "SYSTEM", conflicts_with = "disruptive_shutdown")]
        disruptive_evacuate_to: Option<String>,
        /// With --disruptive-evacuate-to: shut this partition down instead of moving it
        /// (repeatable), for partitions that cannot be relocated.
        #[arg(
            long = "shutdown-lpar",
            value_name = "NAME",
            requires = "disruptive_evacuate_to"
        )]
        shutdown_lpars: Vec<String>,
        /// Disruptive update: first shut every running client partition down.
        #[arg(long)]
        disruptive_shutdown: bool,
        /// Move to the new release the repository offers (updlic -o u); always
        /// disruptive, so it goes with one of the --disruptive* options.
        #[arg(long)]
        upgrade: bool,
        /// The minimum HMC level the level's readme names (e.g. V10R2M1050): the plan
        /// refuses when the HMC is below it.
        #[arg(long, value_name = "LEVEL")]
        min_hmc: Option<String>,
    },
    /// Accept the activated firmware level of a managed system (updlic -o c).
    FirmwareAccept {
        /// The managed system whose activated level becomes the accepted one.
        #[arg(long, value_name = "SYSTEM")]
        system: String,
    },
    /// Move a system WPAR to another AIX global environment.
    ///
    /// Stop it, savewpar to the shared directory, restwpar on the target (-C across
    /// levels), migwpar when it comes from an older AIX version, syncwpar, startwpar,
    /// verify Active; the source is kept stopped, or removed.
    WparMove {
        /// The system WPAR to move.
        #[arg(long, value_name = "NAME")]
        wpar: String,
        /// The AIX global it runs on now.
        #[arg(long, value_name = "HOST")]
        from: String,
        /// The AIX global to move it to.
        #[arg(long, value_name = "HOST")]
        to: String,
        /// What becomes of the source WPAR: stop (kept Defined as a fallback) or remove.
        #[arg(long, value_enum, value_name = "WHAT", default_value = "stop")]
        source: SourceArg,
        /// Install images of the target's AIX level, for migwpar -d (detached WPARs
        /// coming from an older AIX version).
        #[arg(long, value_name = "DIR")]
        images: Option<String>,
        /// A directory both globals see, for the savewpar image.
        #[arg(long, value_name = "DIR", default_value = wpar_move::DEFAULT_SHARED_DIR)]
        shared_dir: String,
    },
    /// Recover a WPAR stuck in T or Broken.
    ///
    /// Unmount what the global environment left under it, stopwpar -F, verify Defined;
    /// optionally recreate a damaged Broken WPAR from its specification and start it.
    WparRecover {
        /// The AIX global the WPAR lives on.
        #[arg(long, value_name = "HOST")]
        host: String,
        /// The WPAR in T or B.
        #[arg(long, value_name = "NAME")]
        wpar: String,
        /// Unmount this directory first (repeatable); default: the mounts the global
        /// left under the WPAR's directory, found with `mount` and `lsfs -u`.
        #[arg(long, value_name = "DIR")]
        unmount: Vec<String>,
        /// Start the WPAR at the end and verify it is Active.
        #[arg(long)]
        start: bool,
        /// Broken WPAR whose infrastructure is damaged: recreate it from its
        /// specification on its own data (mkwpar -w -e, rmwpar -F, mkwpar -f -p).
        #[arg(long)]
        recreate: bool,
    },
    /// Reset a NIM client stuck in an unfinished operation.
    ///
    /// The client is first sampled twice, a minute apart (Cstate, info, NIM log); a
    /// client that moved is still working and is not reset. Then nim -Fo reset, nim -o
    /// deallocate -a subclass=all, and verify the client is ready for a NIM operation
    /// with nothing allocated.
    NimReset {
        /// The NIM master that defines the client.
        #[arg(long, value_name = "MASTER")]
        master: String,
        /// The stuck NIM client (machine object).
        #[arg(long, value_name = "CLIENT")]
        client: String,
    },
    /// Synchronise the NIM master that controls the clients to its alternate master.
    ///
    /// Refused from a master that does not control the clients, between masters at
    /// different levels, and when a resource to replicate would land in / on the other
    /// master or not fit there. nim -o sync -a force=yes -a replicate=yes, verified on
    /// both masters.
    NimSync {
        /// The primary NIM master.
        #[arg(long, value_name = "MASTER")]
        master: String,
        /// The alternate_master object (default: the only one).
        #[arg(long, value_name = "NAME")]
        alternate: Option<String>,
        /// Also rebuild every client's master list (-a reset_clients=yes).
        #[arg(long)]
        reset_clients: bool,
    },
    /// Take over the clients of the other NIM master.
    ///
    /// A planned takeover when the old master answers; otherwise only when its partition
    /// is shown down on the HMC, or on the operator's attestation. nim -o takeover -a
    /// show_progress=yes, verified client by client; clients that are not running are
    /// pending, not failures, and those with sync_required = yes refuse.
    NimTakeover {
        /// The alternate NIM master that takes over.
        #[arg(long, value_name = "MASTER")]
        alternate: String,
        /// The alternate_master object of the old master (default: the only one).
        #[arg(long, value_name = "NAME")]
        from: Option<String>,
    },
    /// nimadm pre-flight of a NIM client.
    ///
    /// Remote execution judged by its output, nimsh, the client's master, the levels of
    /// client, master, SPOT and lpp_source and of bos.alt_disk_install.rte, a free target
    /// disk, the cache volume group; a /bos_inst (which makes nimadm fail in phase 11)
    /// is removed only when proven a leftover.
    NimadmPreflight {
        /// The NIM master that will run nimadm.
        #[arg(long, value_name = "MASTER")]
        master: String,
        /// The standalone client to migrate.
        #[arg(long, value_name = "CLIENT")]
        client: String,
        /// The lpp_source to migrate to (default: the one named after the SPOT's level).
        #[arg(long, value_name = "NAME")]
        lpp_source: Option<String>,
        /// The SPOT to use (default: the one at the highest level).
        #[arg(long, value_name = "NAME")]
        spot: Option<String>,
        /// The client's target disk (default: the first free disk big enough).
        #[arg(long, value_name = "hdiskN")]
        disk: Option<String>,
        /// The master's volume group for nimadm's cache, -j (default: the first with room).
        #[arg(long, value_name = "VG")]
        cache_vg: Option<String>,
    },
}

/// What becomes of the source WPAR after a move.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SourceArg {
    /// Stopped and kept, Defined, as a fallback.
    Stop,
    /// Stopped, then removed once the copy runs on the target.
    Remove,
}

/// Prints the plan; a plan that cannot be built exits 1 with its reason on stderr.
pub async fn run(setup: &Setup, args: &PlanArgs) -> color_eyre::Result<ExitCode> {
    let transport = setup.transport();
    let snapshots = refresh::refresh_all(transport.clone(), &sources(setup)).await;
    for snapshot in snapshots.iter().filter(|s| s.error.is_some()) {
        eprintln!(
            "powerdeck: warning: {}: {}",
            visible(&snapshot.name),
            visible_lines(snapshot.error.as_deref().unwrap_or_default())
        );
    }
    let view = EstateView::new(&snapshots);
    let planned = match request(args) {
        Ok(request) => catalogue::plan(transport.as_ref(), view, &request).await,
        Err(error) => Err(error),
    };
    match planned {
        Ok(plan) => {
            print!("{}", plan.to_script());
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => {
            eprintln!("powerdeck: cannot plan: {}", visible(&error.to_string()));
            Ok(ExitCode::from(1))
        }
    }
}

/// The catalogue's request for these arguments.
fn request(args: &PlanArgs) -> Result<Request, PlanError> {
    Ok(match args {
        PlanArgs::Relocate { lpar, to } => Request::Relocate {
            lpar: lpar.clone(),
            to: to.clone(),
        },
        PlanArgs::RemoteRestart {
            from,
            to,
            lpars,
            order,
            parallel,
        } => Request::RemoteRestart {
            from: from.clone(),
            to: to.clone(),
            choices: RemoteRestartChoices {
                lpars: lpars.clone(),
                order: order.clone(),
                parallelism: *parallel,
            },
        },
        PlanArgs::Cleanup {
            system,
            retain_devices,
        } => Request::Cleanup {
            system: system.clone(),
            choices: CleanupChoices {
                retain_devices: *retain_devices,
            },
        },
        PlanArgs::Firmware {
            system,
            level,
            repo,
            repo_key,
            disruptive,
            disruptive_evacuate_to,
            shutdown_lpars,
            disruptive_shutdown,
            upgrade,
            min_hmc,
        } => {
            let mut repository = FirmwareRepo::parse(repo)?;
            if let Some(key) = repo_key {
                match &mut repository {
                    FirmwareRepo::Sftp { key: slot, .. } => *slot = Some(key.clone()),
                    _ => {
                        return Err(PlanError::invalid(
                            "--repo-key goes with an sftp: repository",
                        ))
                    }
                }
            }
            let disruptive = match (disruptive, disruptive_evacuate_to, disruptive_shutdown) {
                (_, Some(target), _) => Some(Disruptive::Evacuate {
                    target: target.clone(),
                    shutdown: shutdown_lpars.clone(),
                }),
                (_, None, true) => Some(Disruptive::Shutdown),
                (true, None, false) => Some(Disruptive::PowerOff),
                (false, None, false) => None,
            };
            Request::Firmware {
                system: system.clone(),
                choices: FirmwareChoices {
                    level: *level,
                    repository,
                    disruptive,
                    upgrade: *upgrade,
                    min_hmc: min_hmc.clone(),
                },
            }
        }
        PlanArgs::FirmwareAccept { system } => Request::FirmwareAccept {
            system: system.clone(),
        },
        PlanArgs::WparMove {
            wpar,
            from,
            to,
            source,
            images,
            shared_dir,
        } => Request::WparMove {
            wpar: wpar.clone(),
            from: from.clone(),
            to: to.clone(),
            choices: WparMoveChoices {
                source_after: match source {
                    SourceArg::Stop => SourceAfterMove::Stop,
                    SourceArg::Remove => SourceAfterMove::Remove,
                },
                images: images.clone(),
                shared_dir: shared_dir.clone(),
            },
        },
        PlanArgs::WparRecover {
            host,
            wpar,
            unmount,
            start,
            recreate,
        } => Request::WparRecover {
            host: host.clone(),
            wpar: wpar.clone(),
            choices: WparRecoveryChoices {
                unmount: unmount.clone(),
                start: *start,
                recreate: *recreate,
            },
        },
        PlanArgs::NimReset { master, client } => Request::NimReset {
            master: master.clone(),
            client: client.clone(),
        },
        PlanArgs::NimSync {
            master,
            alternate,
            reset_clients,
        } => Request::NimSync {
            master: master.clone(),
            choices: NimSyncChoices {
                alternate: alternate.clone(),
                reset_clients: *reset_clients,
            },
        },
        PlanArgs::NimTakeover { alternate, from } => Request::NimTakeover {
            alternate: alternate.clone(),
            from: from.clone(),
        },
        PlanArgs::NimadmPreflight {
            master,
            client,
            lpp_source,
            spot,
            disk,
            cache_vg,
        } => Request::NimadmPreflight {
            master: master.clone(),
            client: client.clone(),
            choices: NimadmChoices {
                lpp_source: lpp_source.clone(),
                spot: spot.clone(),
                disk: disk.clone(),
                cache_vg: cache_vg.clone(),
            },
        },
    })
}
