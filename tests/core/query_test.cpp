#include "core/query.hpp"

#include <gtest/gtest.h>

namespace tandem::core {
namespace {

TEST(QueryCodecTest, ContactSortRoundTrips) {
  for (ContactSort s : {ContactSort::kCreatedAt, ContactSort::kUpdatedAt, ContactSort::kEmail,
                        ContactSort::kLastName}) {
    EXPECT_EQ(ContactSortFromString(ToString(s)), s);
  }
  EXPECT_EQ(ToString(ContactSort::kCreatedAt), "created_at");
  EXPECT_EQ(ToString(ContactSort::kUpdatedAt), "updated_at");
  EXPECT_EQ(ToString(ContactSort::kEmail), "email");
  EXPECT_EQ(ToString(ContactSort::kLastName), "last_name");
}

TEST(QueryCodecTest, CompanySortRoundTrips) {
  for (CompanySort s : {CompanySort::kName, CompanySort::kCreatedAt}) {
    EXPECT_EQ(CompanySortFromString(ToString(s)), s);
  }
  EXPECT_EQ(ToString(CompanySort::kName), "name");
  EXPECT_EQ(ToString(CompanySort::kCreatedAt), "created_at");
}

TEST(QueryCodecTest, DealSortRoundTrips) {
  for (DealSort s : {DealSort::kCreatedAt, DealSort::kAmount, DealSort::kExpectedClose}) {
    EXPECT_EQ(DealSortFromString(ToString(s)), s);
  }
  EXPECT_EQ(ToString(DealSort::kAmount), "amount");
  EXPECT_EQ(ToString(DealSort::kExpectedClose), "expected_close");
}

TEST(QueryCodecTest, UnknownSortNamesAreRejected) {
  for (std::string s : {"", "Created_At", "created_at ", "-created_at", "id", "amount"}) {
    EXPECT_EQ(ContactSortFromString(s), std::nullopt) << s;
  }
  for (std::string s : {"", "email", "domain", "NAME"}) {
    EXPECT_EQ(CompanySortFromString(s), std::nullopt) << s;
  }
  for (std::string s : {"", "title", "close", "closed_at"}) {
    EXPECT_EQ(DealSortFromString(s), std::nullopt) << s;
  }
}

TEST(QueryDefaultsTest, ListsStartNewestFirstWithTheDefaultPage) {
  ContactQuery c;
  EXPECT_EQ(c.sort, ContactSort::kCreatedAt);
  EXPECT_EQ(c.dir, SortDir::kDesc);
  EXPECT_EQ(c.page.limit, kDefaultPageSize);
  EXPECT_FALSE(c.page.after);
  EXPECT_FALSE(c.unowned);

  CompanyQuery co;
  EXPECT_EQ(co.sort, CompanySort::kName);
  EXPECT_EQ(co.dir, SortDir::kAsc);

  DealQuery d;
  EXPECT_EQ(d.sort, DealSort::kCreatedAt);
  EXPECT_EQ(d.dir, SortDir::kDesc);

  ActivityQuery a;
  EXPECT_EQ(a.dir, SortDir::kDesc);

  EXPECT_LE(kDefaultPageSize, kMaxPageSize);
}

TEST(QueryCursorTest, ComparesKeyAndId) {
  EXPECT_EQ((Cursor{"2026-01-01", 5}), (Cursor{"2026-01-01", 5}));
  EXPECT_NE((Cursor{"2026-01-01", 5}), (Cursor{"2026-01-01", 6}));
  EXPECT_NE((Cursor{"a", 5}), (Cursor{"b", 5}));
}

}  // namespace
}  // namespace tandem::core
