# Build rules for the PostgreSQL backend's migrations: included by src/CMakeLists.txt after the
# tandem_store_postgres target is declared. The .sql files are embedded into a generated source
# by the same script as SQLite's.
file(GLOB TANDEM_POSTGRES_MIGRATIONS CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/migrations/*.sql)
set(TANDEM_POSTGRES_EMBEDDED ${CMAKE_CURRENT_BINARY_DIR}/store/postgres/embedded_migrations.cpp)
set(TANDEM_EMBED_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/../sqlite/embed_migrations.cmake)
add_custom_command(
  OUTPUT ${TANDEM_POSTGRES_EMBEDDED}
  COMMAND ${CMAKE_COMMAND} -DDIR=${CMAKE_CURRENT_LIST_DIR}/migrations
          -DOUT=${TANDEM_POSTGRES_EMBEDDED} -DNAMESPACE=tandem::store::postgres
          -DHEADER=store/postgres/migrations.hpp -P ${TANDEM_EMBED_SCRIPT}
  DEPENDS ${TANDEM_POSTGRES_MIGRATIONS} ${TANDEM_EMBED_SCRIPT}
  COMMENT "Embedding PostgreSQL migrations"
  VERBATIM)
target_sources(tandem_store_postgres PRIVATE ${TANDEM_POSTGRES_EMBEDDED})
