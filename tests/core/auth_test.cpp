#include "core/auth.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tandem::core {
namespace {

using Scopes = std::vector<Scope>;

TEST(ParseScopesTest, ParsesCommaSeparatedNames) {
  EXPECT_EQ(ParseScopes("read").value(), Scopes{Scope::kRead});
  EXPECT_EQ(ParseScopes("read,write").value(), (Scopes{Scope::kRead, Scope::kWrite}));
  EXPECT_EQ(ParseScopes("ingest,admin,write,read").value(),
            (Scopes{Scope::kIngest, Scope::kAdmin, Scope::kWrite, Scope::kRead}));
}

TEST(ParseScopesTest, ToleratesSpacesAndEmptyItems) {
  EXPECT_EQ(ParseScopes(" read , write ").value(), (Scopes{Scope::kRead, Scope::kWrite}));
  EXPECT_EQ(ParseScopes("read,,write,").value(), (Scopes{Scope::kRead, Scope::kWrite}));
  EXPECT_EQ(ParseScopes(",ingest").value(), Scopes{Scope::kIngest});
}

TEST(ParseScopesTest, DropsDuplicatesKeepingFirstOrder) {
  EXPECT_EQ(ParseScopes("write,read,write,read").value(), (Scopes{Scope::kWrite, Scope::kRead}));
}

TEST(ParseScopesTest, RejectsUnknownNames) {
  for (std::string s : {"READ", "read,wrte", "*", "all", "read;write", "read write"}) {
    auto r = ParseScopes(s);
    ASSERT_FALSE(r) << s;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << s;
    EXPECT_EQ(r.error().field, "scopes") << s;
  }
  EXPECT_EQ(ParseScopes("read,wrte").error().message,
            "unknown scope 'wrte'; scopes are read, write, ingest, admin");
}

TEST(ParseScopesTest, RequiresAtLeastOneScope) {
  for (std::string s : {"", " ", ",", " , ,"}) {
    auto r = ParseScopes(s);
    ASSERT_FALSE(r) << "'" << s << "'";
    EXPECT_EQ(r.error().field, "scopes");
    EXPECT_EQ(r.error().message, "at least one scope is required");
  }
}

TEST(JoinScopesTest, JoinsWithCommasAndRoundTrips) {
  EXPECT_EQ(JoinScopes({}), "");
  EXPECT_EQ(JoinScopes({Scope::kIngest}), "ingest");
  const Scopes all = {Scope::kRead, Scope::kWrite, Scope::kIngest, Scope::kAdmin};
  EXPECT_EQ(JoinScopes(all), "read,write,ingest,admin");
  EXPECT_EQ(ParseScopes(JoinScopes(all)).value(), all);
}

TEST(SessionKindTest, CodecRoundTrips) {
  for (SessionKind k : {SessionKind::kBearer, SessionKind::kCookie}) {
    EXPECT_EQ(SessionKindFromString(ToString(k)), k);
  }
  EXPECT_EQ(ToString(SessionKind::kCookie), "cookie");
  EXPECT_EQ(ToString(SessionKind::kBearer), "bearer");
  EXPECT_EQ(SessionKindFromString("Bearer"), std::nullopt);
  EXPECT_EQ(SessionKindFromString(""), std::nullopt);
}

}  // namespace
}  // namespace tandem::core
