#include "core/error.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace tandem::core {
namespace {

TEST(ErrorTest, EveryCodeHasItsOwnName) {
  std::set<std::string> names;
  for (ErrorCode c :
       {ErrorCode::kInvalidArgument, ErrorCode::kNotFound, ErrorCode::kAlreadyExists,
        ErrorCode::kFailedPrecondition, ErrorCode::kPermissionDenied, ErrorCode::kUnauthenticated,
        ErrorCode::kResourceExhausted, ErrorCode::kUnavailable, ErrorCode::kInternal}) {
    names.insert(std::string(ToString(c)));
  }
  EXPECT_EQ(names.size(), 9u);
  EXPECT_EQ(ToString(ErrorCode::kFailedPrecondition), "failed_precondition");
  EXPECT_EQ(ToString(ErrorCode::kPermissionDenied), "permission_denied");
}

TEST(ErrorTest, FactoriesSetCodeAndField) {
  EXPECT_EQ(Error::Invalid("email", "bad").code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(Error::Invalid("email", "bad").field, "email");
  EXPECT_EQ(Error::Invalid("email", "bad").message, "bad");
  EXPECT_EQ(Error::NotFound("x").code, ErrorCode::kNotFound);
  EXPECT_EQ(Error::Conflict("email", "taken").code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(Error::Conflict("email", "taken").field, "email");
  EXPECT_EQ(Error::Precondition("no", "stage").field, "stage");
  EXPECT_EQ(Error::Precondition("no").code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(Error::Forbidden("no").code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(Error::Unauthenticated("no").code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(Error::Internal("boom").code, ErrorCode::kInternal);
  EXPECT_TRUE(Error::Internal("boom").field.empty());
}

Result<int> Half(int x) {
  if (x % 2 != 0) return Fail(Error::Invalid("x", "odd"));
  return x / 2;
}

Result<int> Quarter(int x) {
  TANDEM_ASSIGN(int h, Half(x));
  TANDEM_ASSIGN(int q, Half(h));
  return q;
}

Result<void> CheckEven(int x) {
  TANDEM_TRY(Half(x));
  return {};
}

TEST(ErrorTest, TryAndAssignPropagateTheFirstError) {
  EXPECT_EQ(Quarter(12).value(), 3);
  auto r = Quarter(6);  // 6 -> 3 -> odd
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "x");
  EXPECT_TRUE(CheckEven(4));
  EXPECT_FALSE(CheckEven(5));
}

}  // namespace
}  // namespace tandem::core
