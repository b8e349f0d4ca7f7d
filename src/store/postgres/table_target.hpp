// A PostgreSQL database read and written as the target of `tandem migrate-data`
// (store/table_io.hpp; docs/deploy.md, "Moving to PostgreSQL").
//
// Opening connects once to the URL and applies the pending migrations, so the target has the
// schema this build writes. Listed: every table of the current schema but the migrations
// record, partitions under their partitioned table. Data columns leave out what the store
// derives: the search vectors and words of contacts and companies, which the writer builds from
// the rows with the same tokenizer as the repositories (docs/postgres.md, "Text search"); and
// `contact_reach` is derived whole from the stage history (the per-row trigger is off while the
// history is copied, the table built in one statement after, the trigger back on, all inside the
// transaction).
//
// Writing: Begin(false) takes the store's writer lock (so no app server writes meanwhile); rows
// go through COPY in pieces of a few MiB; events are copied into their monthly partitions
// (created as the months come); tables the migrations fill (row counts, the scoring generation)
// have their rows replaced. Commit then ANALYZEs, so the planner has statistics at once.
#pragma once

#include <memory>
#include <string>

#include "core/error.hpp"
#include "store/table_io.hpp"

namespace tandem::store::postgres {

// kInvalidArgument (field "url") for a URL libpq cannot parse, kUnavailable when the server
// cannot be reached, kFailedPrecondition when its schema is newer than this build.
core::Result<std::unique_ptr<TableTarget>> OpenTableTarget(const std::string& url);

}  // namespace tandem::store::postgres
