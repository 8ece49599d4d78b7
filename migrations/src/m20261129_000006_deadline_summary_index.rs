//! The compliance summary reads only its range's deadlines' states and times: an index that
//! holds all of them (`authority_code, late_at` first) answers both of its aggregates without
//! reading a row's body.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Deadlines {
    Table,
    AuthorityCode,
    LateAt,
    Code,
    State,
    MetAt,
    LateDay,
    MetDay,
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(
            Index::create()
                .name("deadlines_for_summary")
                .table(Deadlines::Table)
                .col(Deadlines::AuthorityCode)
                .col(Deadlines::LateAt)
                .col(Deadlines::Code)
                .col(Deadlines::State)
                .col(Deadlines::MetAt)
                .col(Deadlines::LateDay)
                .col(Deadlines::MetDay)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("deadlines_for_summary").to_owned())
            .await
    }
}
