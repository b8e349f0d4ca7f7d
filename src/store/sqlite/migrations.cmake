# Build rules for the SQLite backend's migrations: included by src/CMakeLists.txt after the
# tandem_store_sqlite target is declared. The .sql files are embedded into a generated source.
file(GLOB TANDEM_SQLITE_MIGRATIONS CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/migrations/*.sql)
set(TANDEM_SQLITE_EMBEDDED ${CMAKE_CURRENT_BINARY_DIR}/store/sqlite/embedded_migrations.cpp)
add_custom_command(
  OUTPUT ${TANDEM_SQLITE_EMBEDDED}
  COMMAND ${CMAKE_COMMAND} -DDIR=${CMAKE_CURRENT_LIST_DIR}/migrations
          -DOUT=${TANDEM_SQLITE_EMBEDDED} -P ${CMAKE_CURRENT_LIST_DIR}/embed_migrations.cmake
  DEPENDS ${TANDEM_SQLITE_MIGRATIONS} ${CMAKE_CURRENT_LIST_DIR}/embed_migrations.cmake
  COMMENT "Embedding SQLite migrations"
  VERBATIM)
target_sources(tandem_store_sqlite PRIVATE ${TANDEM_SQLITE_EMBEDDED})
