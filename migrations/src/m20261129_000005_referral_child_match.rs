//! Knowing a child again: a referral keeps its child's NHS number and exact name and date of
//! birth in columns, indexed per authority, so a new referral finds the same child's earlier ones
//! (and whether it is a re-referral within 12 months) with an index lookup.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Referrals {
    Table,
    AuthorityCode,
    ChildNhsNumber,
    ChildKey,
    ReceivedAt,
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in [Referrals::ChildNhsNumber, Referrals::ChildKey] {
            m.alter_table(
                Table::alter()
                    .table(Referrals::Table)
                    .add_column(ColumnDef::new(column).string().null())
                    .to_owned(),
            )
            .await?;
        }
        m.create_index(
            Index::create()
                .name("referrals_by_child_nhs_number")
                .table(Referrals::Table)
                .col(Referrals::AuthorityCode)
                .col(Referrals::ChildNhsNumber)
                .col(Referrals::ReceivedAt)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("referrals_by_child_key")
                .table(Referrals::Table)
                .col(Referrals::AuthorityCode)
                .col(Referrals::ChildKey)
                .col(Referrals::ReceivedAt)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for name in ["referrals_by_child_nhs_number", "referrals_by_child_key"] {
            m.drop_index(Index::drop().name(name).to_owned()).await?;
        }
        for column in [Referrals::ChildNhsNumber, Referrals::ChildKey] {
            m.alter_table(
                Table::alter()
                    .table(Referrals::Table)
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
