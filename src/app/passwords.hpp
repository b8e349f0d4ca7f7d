// Password hashing with argon2id (libsodium's crypto_pwhash_str), and random secrets.
//
// The cost is a setting: production uses libsodium's "interactive" limits (64 MiB, 2 passes);
// tests pass the minimum so that suites creating many users stay fast.
// Thread-safety: const methods are safe from any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace tandem::app {

struct PasswordSettings {
  unsigned long long ops_limit = 0;  // 0 = libsodium's interactive default
  std::size_t mem_limit = 0;         // bytes; 0 = interactive default
  static PasswordSettings Fastest();  // the minimum libsodium accepts (tests only)
};

class PasswordHasher {
 public:
  explicit PasswordHasher(PasswordSettings settings = {});
  // kInvalidArgument (field "password") when shorter than 8 or longer than 1024 bytes.
  core::Result<std::string> Hash(std::string_view password) const;
  bool Verify(std::string_view hash, std::string_view password) const;

 private:
  unsigned long long ops_;
  std::size_t mem_;
};

// `bytes` random bytes from the OS, base64url without padding.
std::string RandomToken(std::size_t bytes = 32);
// Hex of the BLAKE2b-256 hash of `secret`: how tokens and API keys are stored.
std::string HashSecret(std::string_view secret);

}  // namespace tandem::app
