//! Deadlines become rows of their own, so that an authority's team leaders can list what is due
//! and late across every case, and the compliance summary is a database aggregate. Every list
//! filter has a composite index that ends in the sort key (`due_at`, `id`), so a page is an
//! index range scan; the summary reads the `late_at` index.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Deadlines {
    Table,
    Id,
    AuthorityCode,
    CaseId,
    Code,
    Level,
    AllocatedWorker,
    State,
    DueAt,
    LateAt,
    LateDay,
    MetAt,
    MetDay,
    Body,
}

fn index(name: &str, columns: &[Deadlines]) -> IndexCreateStatement {
    let mut index = Index::create();
    index.name(name).table(Deadlines::Table);
    for c in columns {
        index.col(*c);
    }
    index.to_owned()
}

fn indexes() -> Vec<IndexCreateStatement> {
    use Deadlines::*;
    vec![
        index("deadlines_by_due", &[AuthorityCode, DueAt, Id]),
        index("deadlines_by_state", &[AuthorityCode, State, DueAt, Id]),
        index(
            "deadlines_by_worker",
            &[AuthorityCode, AllocatedWorker, DueAt, Id],
        ),
        index("deadlines_by_code", &[AuthorityCode, Code, DueAt, Id]),
        index("deadlines_by_level", &[AuthorityCode, Level, DueAt, Id]),
        index("deadlines_by_late", &[AuthorityCode, LateAt]),
        index("deadlines_by_case", &[CaseId]),
    ]
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use Deadlines::*;
        m.create_table(
            sea_query::Table::create()
                .table(Deadlines::Table)
                .col(ColumnDef::new(Id).string().not_null().primary_key())
                .col(ColumnDef::new(AuthorityCode).string().not_null())
                .col(ColumnDef::new(CaseId).string().not_null())
                .col(ColumnDef::new(Code).string().not_null())
                .col(ColumnDef::new(Level).string().not_null())
                .col(ColumnDef::new(AllocatedWorker).string().null())
                .col(ColumnDef::new(State).string().not_null())
                .col(ColumnDef::new(DueAt).big_integer().not_null())
                .col(ColumnDef::new(LateAt).big_integer().not_null())
                .col(ColumnDef::new(LateDay).big_integer().not_null())
                .col(ColumnDef::new(MetAt).big_integer().null())
                .col(ColumnDef::new(MetDay).big_integer().null())
                .col(ColumnDef::new(Body).binary().not_null())
                .to_owned(),
        )
        .await?;
        for index in indexes() {
            m.create_index(index).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Deadlines::Table).to_owned())
            .await
    }
}
