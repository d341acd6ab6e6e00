//! The estate as a tree: HMC › managed system › LPAR › the WPARs of the AIX global that
//! runs in it (per the config's `lpar = ...`) and the NIM machine of the same name.
//! AIX globals whose LPAR is unknown are listed after the HMCs.

use super::EstateData;
use crate::refresh::SourceData;
use crate::ui::states;
use crate::ui::table::{Cell, Column, Row, RowKey, Table};

/// The columns.
pub fn columns() -> Vec<Column> {
    vec![
        Column::new("NAME", 0, 40),
        Column::new("KIND", 2, 24),
        Column::new("STATE", 1, 44),
        Column::source("SOURCE", 3),
    ]
}

struct Node {
    row: Row,
    children: Vec<Node>,
}

impl Node {
    fn leaf(row: Row) -> Node {
        Node {
            row,
            children: Vec::new(),
        }
    }
}

fn wpar_nodes(data: &EstateData<'_>, host: &str) -> Vec<Node> {
    data.wpars()
        .filter(|(h, _)| *h == host)
        .map(|(_, wpar)| {
            Node::leaf(Row::new(
                RowKey::Wpar {
                    host: host.to_string(),
                    name: wpar.name.clone(),
                },
                host,
                vec![
                    Cell::text(&wpar.name),
                    Cell::text("WPAR"),
                    states::wpar(&wpar.state),
                    Cell::text(host),
                ],
            ))
        })
        .collect()
}

fn global_node(data: &EstateData<'_>, host: &str, kind: &str) -> Node {
    let status = data.snapshots.get(host).map(|s| s.status);
    Node {
        row: Row::new(
            RowKey::Source(host.to_string()),
            host,
            vec![
                Cell::text(host),
                Cell::text(kind),
                states::source(status),
                Cell::text(host),
            ],
        ),
        children: wpar_nodes(data, host),
    }
}

fn flatten(nodes: Vec<Node>, lead: &str, rows: &mut Vec<Row>) {
    let count = nodes.len();
    for (index, node) in nodes.into_iter().enumerate() {
        let last = index + 1 == count;
        let (branch, next) = if last {
            ("└ ", "  ")
        } else {
            ("├ ", "│ ")
        };
        rows.push(node.row.with_prefix(format!("{lead}{branch}")));
        flatten(node.children, &format!("{lead}{next}"), rows);
    }
}

/// The table: one row per node, drawn with tree lines.
pub fn table(data: &EstateData<'_>) -> Table {
    let mut roots = Vec::new();
    for snapshot in data.snapshots.values() {
        let SourceData::Hmc(systems) = &snapshot.data else {
            continue;
        };
        let hmc = snapshot.name.as_str();
        let mut system_nodes = Vec::new();
        for system_data in systems {
            let system = &system_data.system;
            let mut lpar_nodes = Vec::new();
            for lpar in &system_data.lpars {
                let mut children = Vec::new();
                for host in data.globals_in(&system.name, &lpar.name) {
                    children.push(global_node(data, host, "AIX global"));
                }
                for (master, machine) in data.nim_machines(&lpar.name) {
                    children.push(Node::leaf(Row::new(
                        RowKey::Nim {
                            master: master.to_string(),
                            name: machine.name.clone(),
                        },
                        master,
                        vec![
                            Cell::text(format!("{} (NIM)", machine.name)),
                            Cell::text("NIM client"),
                            states::cstate(machine.cstate.as_ref()),
                            Cell::text(master),
                        ],
                    )));
                }
                lpar_nodes.push(Node {
                    row: Row::new(
                        RowKey::Lpar {
                            hmc: hmc.to_string(),
                            system: system.name.clone(),
                            name: lpar.name.clone(),
                        },
                        hmc,
                        vec![
                            Cell::text(&lpar.name),
                            Cell::text(if lpar.lpar_env.is_vios() {
                                "VIOS"
                            } else {
                                "LPAR"
                            }),
                            states::lpar(&lpar.state),
                            Cell::text(hmc),
                        ],
                    ),
                    children,
                });
            }
            system_nodes.push(Node {
                row: Row::new(
                    RowKey::System {
                        hmc: hmc.to_string(),
                        system: system.name.clone(),
                    },
                    hmc,
                    vec![
                        Cell::text(&system.name),
                        Cell::text("system"),
                        states::system(&system.state),
                        Cell::text(hmc),
                    ],
                ),
                children: lpar_nodes,
            });
        }
        roots.push(Node {
            row: Row::new(
                RowKey::Source(hmc.to_string()),
                hmc,
                vec![
                    Cell::text(hmc),
                    Cell::text("HMC"),
                    states::source(Some(snapshot.status)),
                    Cell::text(hmc),
                ],
            ),
            children: system_nodes,
        });
    }
    for snapshot in data.snapshots.values() {
        if matches!(snapshot.data, SourceData::Aix(_))
            && data.lpar_of_global(&snapshot.name).is_none()
        {
            roots.push(global_node(
                data,
                &snapshot.name,
                "AIX global, LPAR unknown",
            ));
        }
    }
    let mut rows = Vec::new();
    for root in roots {
        rows.push(root.row);
        flatten(root.children, "", &mut rows);
    }
    Table::new("Estate tree", columns(), rows)
        .with_empty("Nothing reported yet")
        .unsorted()
}
