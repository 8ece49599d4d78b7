//! Meetings get a version (their etag), like referrals and cases; and every list filter gets a
//! composite index that ends in the keyset column, so a page is an index range scan at any
//! depth (`WHERE authority_code = ? AND status = ? AND id < ? ORDER BY id DESC LIMIT n`).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Meetings {
    Table,
    Version,
}

#[derive(DeriveIden)]
enum Referrals {
    Table,
    AuthorityCode,
    Status,
    ReceivedAt,
    Id,
}

#[derive(DeriveIden)]
enum Cases {
    Table,
    AuthorityCode,
    Status,
    Level,
    AllocatedWorker,
    Id,
}

/// The indexes' names, for `down`.
const NAMES: [&str; 5] = [
    "referrals_by_status",
    "referrals_by_receive_time",
    "cases_by_status",
    "cases_by_level",
    "cases_by_worker",
];

/// One index for each list filter.
fn indexes() -> Vec<IndexCreateStatement> {
    vec![
        Index::create()
            .name("referrals_by_status")
            .table(Referrals::Table)
            .col(Referrals::AuthorityCode)
            .col(Referrals::Status)
            .col(Referrals::Id)
            .to_owned(),
        Index::create()
            .name("referrals_by_receive_time")
            .table(Referrals::Table)
            .col(Referrals::AuthorityCode)
            .col(Referrals::ReceivedAt)
            .to_owned(),
        Index::create()
            .name("cases_by_status")
            .table(Cases::Table)
            .col(Cases::AuthorityCode)
            .col(Cases::Status)
            .col(Cases::Id)
            .to_owned(),
        Index::create()
            .name("cases_by_level")
            .table(Cases::Table)
            .col(Cases::AuthorityCode)
            .col(Cases::Level)
            .col(Cases::Id)
            .to_owned(),
        Index::create()
            .name("cases_by_worker")
            .table(Cases::Table)
            .col(Cases::AuthorityCode)
            .col(Cases::AllocatedWorker)
            .col(Cases::Id)
            .to_owned(),
    ]
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Meetings::Table)
                .add_column(
                    ColumnDef::new(Meetings::Version)
                        .big_integer()
                        .not_null()
                        .default(1),
                )
                .to_owned(),
        )
        .await?;
        for index in indexes() {
            m.create_index(index).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for name in NAMES {
            m.drop_index(Index::drop().name(name).to_owned()).await?;
        }
        m.alter_table(
            Table::alter()
                .table(Meetings::Table)
                .drop_column(Meetings::Version)
                .to_owned(),
        )
        .await
    }
}
