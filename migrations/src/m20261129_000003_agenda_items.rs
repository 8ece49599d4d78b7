//! Panel agendas: each item (a referral queued for the panel, or a transition request the panel
//! decides) is a row, listed per sitting in queue order by `(authority, panel, sitting, id)`.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum AgendaItems {
    Table,
    Id,
    AuthorityCode,
    PanelCode,
    SittingDate,
    State,
    Subject,
    Version,
    Body,
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use AgendaItems::*;
        m.create_table(
            sea_query::Table::create()
                .table(AgendaItems::Table)
                .col(ColumnDef::new(Id).string().not_null().primary_key())
                .col(ColumnDef::new(AuthorityCode).string().not_null())
                .col(ColumnDef::new(PanelCode).string().not_null())
                .col(ColumnDef::new(SittingDate).string().not_null())
                .col(ColumnDef::new(State).string().not_null())
                .col(ColumnDef::new(Subject).string().not_null())
                .col(ColumnDef::new(Version).big_integer().not_null())
                .col(ColumnDef::new(Body).binary().not_null())
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("agenda_items_by_sitting")
                .table(AgendaItems::Table)
                .col(AuthorityCode)
                .col(PanelCode)
                .col(SittingDate)
                .col(Id)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(AgendaItems::Table).to_owned())
            .await
    }
}
