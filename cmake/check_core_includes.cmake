# Fails when a file of src/core includes a header of an I/O, HTTP, JSON, database or logging
# library. Run by the tandem_core_layering target before every build of the core.
file(GLOB_RECURSE files "${CORE_DIR}/*.hpp" "${CORE_DIR}/*.cpp")
set(forbidden "boost/|sqlite3|libpq|pqxx|postgres|curl/|nlohmann|simdjson|rapidjson|spdlog|httplib|sodium|fstream|iostream|thread>|mutex>|filesystem")
foreach(f IN LISTS files)
  file(STRINGS "${f}" lines REGEX "^[ \t]*#[ \t]*include")
  foreach(line IN LISTS lines)
    if(line MATCHES "${forbidden}")
      message(FATAL_ERROR "src/core must stay free of I/O: ${f} has '${line}'")
    endif()
  endforeach()
endforeach()
