#include "app/passwords.hpp"

#include <sodium.h>

#include <stdexcept>

namespace tandem::app {
namespace {

void EnsureSodium() {
  static const bool ok = sodium_init() >= 0;
  if (!ok) throw std::runtime_error("libsodium failed to initialise");
}

}  // namespace

PasswordSettings PasswordSettings::Fastest() {
  return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
}

PasswordHasher::PasswordHasher(PasswordSettings s)
    : ops_(s.ops_limit ? s.ops_limit : crypto_pwhash_OPSLIMIT_INTERACTIVE),
      mem_(s.mem_limit ? s.mem_limit : crypto_pwhash_MEMLIMIT_INTERACTIVE) {
  EnsureSodium();
}

core::Result<std::string> PasswordHasher::Hash(std::string_view password) const {
  if (password.size() < 8) {
    return core::Fail(core::Error::Invalid("password", "must be at least 8 characters"));
  }
  if (password.size() > 1024) {
    return core::Fail(core::Error::Invalid("password", "must be at most 1024 bytes"));
  }
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), ops_, mem_,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return core::Fail(core::Error::Internal("out of memory while hashing a password"));
  }
  return std::string(out);
}

bool PasswordHasher::Verify(std::string_view hash, std::string_view password) const {
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  std::string h(hash);
  return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0;
}

std::string RandomToken(std::size_t bytes) {
  EnsureSodium();
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  std::string out(sodium_base64_ENCODED_LEN(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()),
                    raw.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(out.find('\0') == std::string::npos ? out.size() : out.find('\0'));
  return out;
}

std::string HashSecret(std::string_view secret) {
  EnsureSodium();
  unsigned char digest[32];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(secret.data()),
                     secret.size(), nullptr, 0);
  char hex[65];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

}  // namespace tandem::app
