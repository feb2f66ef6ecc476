//! From a subcommand to the request it sends, and to how its answer is printed.

use super::{exchange, pivot, plan, records, CampaignCmd, Command, PersonCmd, UnitCmd};
use chrono::Datelike;
use pufa_core::api::Request;
use pufa_core::campaign::{ArchiveFilter, CampaignFilter};
use pufa_core::demo::{DemoInput, ScaleInput};
use pufa_core::person::{PersonFilter, PersonInput};
use pufa_core::town::{SetupInput, UserInput};
use pufa_core::unit::{UnitFilter, UnitInput};
use pufa_core::AppError;

/// What a subcommand asks of the command layer, and how to print the answer.
pub(super) enum Output {
    Plan(plan::PlanOutput),
    Records(records::RecordOutput),
    Keydates,
    KeydateConfirmed,
    Info,
    Campaigns,
    Campaign,
    Units,
    Unit,
    People,
    Person,
    Deleted,
    Check,
    Pivot,
    Exchange(exchange::Output),
}

fn planning((request, output): (Request, plan::PlanOutput)) -> (Request, Output) {
    (request, Output::Plan(output))
}

fn recording((request, output): (Request, records::RecordOutput)) -> (Request, Output) {
    (request, Output::Records(output))
}

fn activity_request(cmd: plan::ActivityCmd) -> Result<(Request, Output), AppError> {
    use plan::ActivityCmd::*;
    use pufa_core::record::ReviewAction;
    Ok(match cmd {
        List {
            from,
            to,
            campaign,
            unit,
            status,
            search,
        } => {
            let filter = pufa_core::activity::ActivityFilter {
                from,
                to,
                campaign_id: campaign,
                unit_id: unit,
                status,
                search,
                ..Default::default()
            };
            recording((
                Request::ActivityLedger(filter),
                records::RecordOutput::Ledger,
            ))
        }
        Add { json_file, confirm } => recording(records::add_from_file(&json_file, confirm)?),
        Approve { id } => recording(records::review(id, ReviewAction::Approve, None)),
        Return { id, reason } => recording(records::review(id, ReviewAction::Return, Some(reason))),
        Reopen { id, reason } => recording(records::review(id, ReviewAction::Reopen, Some(reason))),
        Attach { id, file, kind } => recording(records::attach(id, &file, kind)),
    })
}

pub(super) fn request(command: Command) -> Result<(Request, Output), AppError> {
    Ok(match command {
        Command::Init(a) => {
            let user = a.user.map(|name| UserInput {
                name,
                role: a.role.unwrap_or_else(|| "coordinator".into()),
                village: a.village,
            });
            let input = SetupInput {
                town: a.town,
                county: a.county,
                villages: vec![a.villages],
                schools: a.schools.into_iter().collect(),
                sites: a.sites.into_iter().collect(),
                user,
                county_rollup: a.county_rollup,
            };
            (Request::Setup(input), Output::Info)
        }
        Command::Demo {
            seed,
            year,
            activities,
            towns,
            years,
        } => {
            let scale = activities.map(|activities| ScaleInput {
                activities,
                towns,
                years,
            });
            (
                Request::LoadDemo(DemoInput { seed, year, scale }),
                Output::Info,
            )
        }
        Command::Info => (Request::AppInfo, Output::Info),
        Command::User {
            name,
            role,
            village,
            add,
        } => {
            let input = UserInput {
                name,
                role,
                village,
            };
            let request = if add {
                Request::UserAdd(input)
            } else {
                Request::UpdateUser(input)
            };
            (request, Output::Info)
        }
        Command::Template(c) => planning(plan::template(c)),
        Command::Plan(c) => planning(plan::plan(c)),
        Command::Activity(c) => activity_request(c)?,
        Command::Material(c) => recording(records::material(c)),
        Command::Stock { action } => recording(records::stock(action)),
        Command::Audit { since, entity, id } => recording(records::audit(since, entity, id)),
        Command::Export(c) => planning(plan::export(c)),
        Command::Pivot(args) => (pivot::pivot(args), Output::Pivot),
        Command::Summary {
            from,
            to,
            village,
            campaign,
            include_pending,
        } => recording(records::summary(
            from,
            to,
            village,
            campaign,
            include_pending,
        )),
        Command::Conflicts { year } => planning(plan::conflicts(year)),
        Command::Coverage { campaign } => planning(plan::coverage(campaign)),
        Command::Holidays { year } => planning(plan::holidays(year)),
        Command::SchoolCalendar(args) => planning(plan::school_calendar(args)),
        Command::Check => (Request::Check, Output::Check),
        Command::ImportTemplate { out } => {
            let (request, output) = exchange::template(out);
            (request, Output::Exchange(output))
        }
        Command::Import(cmd) => {
            let (request, output) = exchange::import(cmd);
            (request, Output::Exchange(output))
        }
        Command::Backup(args) => {
            let (request, output) = exchange::backup(args)?;
            (request, Output::Exchange(output))
        }
        Command::Package(cmd) => (
            exchange::package(cmd),
            Output::Exchange(exchange::Output::Package),
        ),
        Command::Restore {
            file,
            preview,
            confirm_other_town,
        } => {
            let (request, output) = exchange::restore(file, preview, confirm_other_town);
            (request, Output::Exchange(output))
        }
        Command::Keydates { year, confirm } => {
            let year = year.unwrap_or_else(|| chrono::Local::now().year());
            match confirm {
                Some(node_code) => (
                    Request::KeydateConfirm { node_code, year },
                    Output::KeydateConfirmed,
                ),
                None => (Request::KeydateList { year }, Output::Keydates),
            }
        }
        Command::Campaign(c) => match c {
            CampaignCmd::List {
                search,
                kind,
                year,
                audience,
                archived,
                all,
            } => {
                let status = match (archived, all) {
                    (true, _) => ArchiveFilter::Archived,
                    (_, true) => ArchiveFilter::All,
                    _ => ArchiveFilter::Active,
                };
                let f = CampaignFilter {
                    search,
                    kind,
                    year,
                    audience,
                    status,
                };
                (Request::CampaignList(f), Output::Campaigns)
            }
            CampaignCmd::Add(fields) => (Request::CampaignCreate(fields.input()), Output::Campaign),
            CampaignCmd::Show { id } => (Request::CampaignGet { id }, Output::Campaign),
            CampaignCmd::Edit { id, fields } => (
                Request::CampaignUpdate {
                    id,
                    input: fields.input(),
                },
                Output::Campaign,
            ),
            CampaignCmd::Archive { id, undo } => (
                Request::CampaignArchive {
                    id,
                    archived: !undo,
                },
                Output::Campaign,
            ),
            CampaignCmd::Delete { id } => (Request::CampaignDelete { id }, Output::Deleted),
        },
        Command::Unit(u) => match u {
            UnitCmd::List { kind, search } => (
                Request::UnitList(UnitFilter {
                    kind,
                    search,
                    include_archived: false,
                }),
                Output::Units,
            ),
            UnitCmd::Add {
                kind,
                name,
                address,
                market_days,
            } => (
                Request::UnitCreate(UnitInput {
                    kind,
                    name,
                    address,
                    notes: None,
                    market_days,
                }),
                Output::Unit,
            ),
            UnitCmd::Market { name, days } => (
                Request::UnitSetMarketDays {
                    unit: name,
                    market_days: days,
                },
                Output::Unit,
            ),
        },
        Command::Person(p) => match p {
            PersonCmd::List { role, search } => (
                Request::PersonList(PersonFilter {
                    role,
                    search,
                    ..Default::default()
                }),
                Output::People,
            ),
            PersonCmd::Add {
                name,
                role,
                phone,
                unit,
            } => (
                Request::PersonCreate(PersonInput {
                    name,
                    role,
                    phone,
                    unit_id: unit,
                    notes: None,
                }),
                Output::Person,
            ),
        },
    })
}
