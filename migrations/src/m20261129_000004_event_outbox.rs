//! The event stream: an outbox of every change, numbered per authority without gaps in commit
//! order. `authority_sequences` holds each authority's last number; a change set adds its count
//! there (holding the row until it commits) and numbers its entries from it.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AuthoritySequences {
    Table,
    AuthorityCode,
    Seq,
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    AuthorityCode,
    Seq,
    Body,
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(AuthoritySequences::Table)
                .col(
                    ColumnDef::new(AuthoritySequences::AuthorityCode)
                        .string()
                        .not_null()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(AuthoritySequences::Seq)
                        .big_integer()
                        .not_null(),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Outbox::Table)
                .col(ColumnDef::new(Outbox::AuthorityCode).string().not_null())
                .col(ColumnDef::new(Outbox::Seq).big_integer().not_null())
                .col(ColumnDef::new(Outbox::Body).binary().not_null())
                .primary_key(Index::create().col(Outbox::AuthorityCode).col(Outbox::Seq))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Outbox::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(AuthoritySequences::Table).to_owned())
            .await
    }
}
