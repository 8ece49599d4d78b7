//! Referrals, cases, meetings, their history events, and idempotency keys.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Referrals {
    Table,
    Id,
    AuthorityCode,
    Status,
    ReceivedAt,
    Version,
    Body,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Cases {
    Table,
    Id,
    AuthorityCode,
    ReferralId,
    Status,
    Level,
    AllocatedWorker,
    Version,
    Body,
    OpenedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Meetings {
    Table,
    Id,
    AuthorityCode,
    CaseId,
    Body,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Events {
    Table,
    Seq,
    AuthorityCode,
    ReferralId,
    CaseId,
    Kind,
    OccurredAt,
    Body,
}

#[derive(DeriveIden)]
enum IdempotencyKeys {
    Table,
    AuthorityCode,
    RequestId,
    Method,
    RequestHash,
    ResourceName,
    CreatedAt,
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Referrals::Table)
                .col(ColumnDef::new(Referrals::Id).string().not_null().primary_key())
                .col(ColumnDef::new(Referrals::AuthorityCode).string().not_null())
                .col(ColumnDef::new(Referrals::Status).string().not_null())
                .col(ColumnDef::new(Referrals::ReceivedAt).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(Referrals::Version).big_integer().not_null())
                .col(ColumnDef::new(Referrals::Body).binary().not_null())
                .col(ColumnDef::new(Referrals::CreatedAt).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(Referrals::UpdatedAt).timestamp_with_time_zone().not_null())
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("referrals_by_authority")
                .table(Referrals::Table)
                .col(Referrals::AuthorityCode)
                .col(Referrals::Id)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Cases::Table)
                .col(ColumnDef::new(Cases::Id).string().not_null().primary_key())
                .col(ColumnDef::new(Cases::AuthorityCode).string().not_null())
                .col(ColumnDef::new(Cases::ReferralId).string().null())
                .col(ColumnDef::new(Cases::Status).string().not_null())
                .col(ColumnDef::new(Cases::Level).string().not_null())
                .col(ColumnDef::new(Cases::AllocatedWorker).string().null())
                .col(ColumnDef::new(Cases::Version).big_integer().not_null())
                .col(ColumnDef::new(Cases::Body).binary().not_null())
                .col(ColumnDef::new(Cases::OpenedAt).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(Cases::UpdatedAt).timestamp_with_time_zone().not_null())
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("cases_by_authority")
                .table(Cases::Table)
                .col(Cases::AuthorityCode)
                .col(Cases::Id)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Meetings::Table)
                .col(ColumnDef::new(Meetings::Id).string().not_null().primary_key())
                .col(ColumnDef::new(Meetings::AuthorityCode).string().not_null())
                .col(ColumnDef::new(Meetings::CaseId).string().not_null())
                .col(ColumnDef::new(Meetings::Body).binary().not_null())
                .col(ColumnDef::new(Meetings::CreatedAt).timestamp_with_time_zone().not_null())
                .foreign_key(ForeignKey::create().from(Meetings::Table, Meetings::CaseId).to(Cases::Table, Cases::Id))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("meetings_by_case")
                .table(Meetings::Table)
                .col(Meetings::CaseId)
                .col(Meetings::Id)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Events::Table)
                .col(ColumnDef::new(Events::Seq).big_integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(Events::AuthorityCode).string().not_null())
                .col(ColumnDef::new(Events::ReferralId).string().null())
                .col(ColumnDef::new(Events::CaseId).string().null())
                .col(ColumnDef::new(Events::Kind).string().not_null())
                .col(ColumnDef::new(Events::OccurredAt).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(Events::Body).binary().not_null())
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("events_by_case").table(Events::Table).col(Events::CaseId).col(Events::Seq).to_owned())
            .await?;
        m.create_index(
            Index::create().name("events_by_referral").table(Events::Table).col(Events::ReferralId).col(Events::Seq).to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(IdempotencyKeys::Table)
                .col(ColumnDef::new(IdempotencyKeys::AuthorityCode).string().not_null())
                .col(ColumnDef::new(IdempotencyKeys::RequestId).string().not_null())
                .col(ColumnDef::new(IdempotencyKeys::Method).string().not_null())
                .col(ColumnDef::new(IdempotencyKeys::RequestHash).string().not_null())
                .col(ColumnDef::new(IdempotencyKeys::ResourceName).string().not_null())
                .col(ColumnDef::new(IdempotencyKeys::CreatedAt).timestamp_with_time_zone().not_null())
                .primary_key(Index::create().col(IdempotencyKeys::AuthorityCode).col(IdempotencyKeys::RequestId))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(IdempotencyKeys::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(Events::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(Meetings::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(Cases::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(Referrals::Table).to_owned()).await?;
        Ok(())
    }
}
