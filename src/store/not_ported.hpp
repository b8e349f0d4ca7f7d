// A repository a backend does not have yet (docs/postgres.md: the PostgreSQL backend is built
// repository by repository). Its accessor on the backend's transaction throws NotPortedError
// naming it, so nothing gets a partial answer; the backend's Store::Write and Store::Read catch
// it, roll the transaction back and answer kUnavailable with that message, so a request that
// needs such a repository is refused (HTTP 503 with the reason) instead of failing the server.
#pragma once

#include <stdexcept>

namespace tandem::store {

class NotPortedError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

}  // namespace tandem::store
